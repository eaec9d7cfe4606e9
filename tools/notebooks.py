"""Make a Jupyter notebook of each page from the page's own prose and snippets.

A page ``docs/<lang>/<topic>.md`` becomes ``docs/<lang>/notebooks/<topic>.ipynb``:
its prose in Markdown cells (jupytext's Markdown reader splits page and code), each
included snippet's code in a code cell, and each code cell's output taken from the
snippet's verified output block. Nothing is kept by hand: the notebooks are
generated at build time (tools/hooks/notebooks.py) and are not committed. The tests
execute them with a real kernel and compare the outputs with the output blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import markdown
import nbformat

from tools.headings import page_headings, strip_heading_ids
from tools.snippets import (
    INCLUDE,
    LANGUAGES,
    ROOT,
    SnippetError,
    has_includes,
    is_backend_output,
    parse_backend_output,
    parse_snippet,
    rel,
)
from tools.versions import OUTPUT_PACKAGES, pinned_versions

NOTEBOOK_DIR = "notebooks"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)\.md(#[^)\s]*)?\)")
#: A figure of the page (tools/figures.py): drawn for the site, left out of notebooks,
#: whose outputs show the same data and whose .ipynb download has no figures folder.
_FIGURE = re.compile(r"^<figure\b.*?^</figure>\n+", re.DOTALL | re.MULTILINE)
_TAB = re.compile(r'^(===\+?) "(?P<label>[^"]*)"\s*$')
#: A heading of a notebook page as mkdocs-jupyter renders a Markdown cell's heading: an id
#: made from its text, and a pilcrow link to it.
_NOTEBOOK_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<inner>(?:(?!</h[1-6]>).)*?)'
    r'<a class="anchor-link" href="#[^"]*">(?P<mark>[^<]*)</a></h(?P=level)>',
    re.DOTALL,
)
_ADMONITION = re.compile(r'^(!!!|\?\?\?\+?) (\w+)(?: "([^"]*)")?\n((?:    .*\n|\n)+)', re.MULTILINE)
_INTRO = {
    "ja": (
        "このノートブックはページ「{title}」から自動生成したものです。"
        "コードと出力はページと同じスニペットから取り込んでおり、"
        "出力はテストで実際に実行して照合しています。"
    ),
    "en": (
        "This notebook is generated from the page \u201c{title}\u201d. Its code and "
        "outputs come from the same snippets as the page, and the tests execute it "
        "and compare the outputs."
    ),
}


#: The cell id of the notebook's install cell, the only code cell that is not a
#: snippet's (an id, not a tag: mkdocs-jupyter shows tags on the notebook page).
INSTALL_ID = "install-pins"
_INSTALL_NOTE = {
    "ja": (
        "**実行する前に**: 次のセルは、このページの出力を検証したときと同じバージョン"
        "(リポジトリの `requirements.txt` で固定しているバージョン)をインストールします。"
        "Colab などにあらかじめ入っているバージョンでは、出力が変わることがあります。"
        "インストールのあとでセッションの再起動を求められたら再起動し、次のセルから実行してください。"
    ),
    "en": (
        "**Before you run it**: the next cell installs the exact versions this page's "
        "outputs were verified with (the pins of the repository's `requirements.txt`). "
        "With the versions preinstalled elsewhere, on Colab for example, the outputs may "
        "differ. If you are asked to restart the session after the install, restart it "
        "and run the cells from the one after it."
    ),
}


def install_command(requirements: Path) -> str:
    """Return the ``%pip install`` line of the pins that decide what the snippets print.

    Args:
        requirements: the requirements file (its ``name==version`` lines).

    Returns:
        ``%pip install tensorflow==... keras==...``: each package of
        ``tools.versions.OUTPUT_PACKAGES`` that the file pins, in that order.
    """
    pins = pinned_versions(requirements)
    return "%pip install " + " ".join(
        f"{name}=={pins[name]}" for name in OUTPUT_PACKAGES if name in pins
    )


def install_cells(lang: str, requirements: Path) -> list[nbformat.NotebookNode]:
    """Return the note (in ``lang``) and the code cell that install the pinned versions."""
    code = nbformat.v4.new_code_cell(install_command(requirements), id=INSTALL_ID)
    return [nbformat.v4.new_markdown_cell(_INSTALL_NOTE[lang]), code]


def pages_with_snippets(root: Path = ROOT) -> dict[str, list[Path]]:
    """Return, per language, the pages that include at least one snippet."""
    found = {}
    for lang in LANGUAGES:
        pages = sorted((Path(root) / "docs" / lang).glob("*.md"))
        found[lang] = [p for p in pages if has_includes(p.read_text(encoding="utf-8"))]
    return found


def _as_blockquote(match: re.Match) -> str:
    """Turn a Material admonition into a blockquote that Jupyter can show."""
    title = match.group(3) or match.group(2).capitalize()
    body = [line[4:] if line.startswith("    ") else line for line in match.group(4).splitlines()]
    quoted = "\n".join(f"> {line}".rstrip() for line in [f"**{title}**", "", *body])
    return quoted.rstrip("> \n") + "\n\n"


def _flatten_tabs(text: str) -> str:
    """Turn Material content tabs into a bold label followed by the tab's content.

    A notebook has no tabs: each ``=== "Label"`` line becomes ``**Label**`` and the
    tab's content, indented by 4 spaces on the page, is dedented, so that its prose
    stays prose and its included snippets become code cells like any other.
    """
    lines, in_tab = [], False
    for line in text.splitlines():
        match = _TAB.match(line)
        if match:
            lines.append(f"**{match.group('label')}**")
            in_tab = True
        elif in_tab and (line.startswith("    ") or not line.strip()):
            lines.append(line[4:])
        else:
            lines.append(line)
            in_tab = False
    return "\n".join(lines) + "\n"


def notebook_for_page(page: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """Build the notebook of one page.

    Args:
        page: a page ``docs/<lang>/<topic>.md`` that includes snippets.
        root: the repository root that include paths are relative to.

    Returns:
        An nbformat v4 notebook: the page's prose in Markdown cells, with a note
        under the title saying where the notebook comes from (links to other pages
        pointed at their built URLs, content tabs one after the other, figures
        and the headings' ``{ #id }`` left out), after the title cell a note in
        the page's language and a cell (id ``INSTALL_ID``) that installs the
        pinned versions, one code
        cell per snippet code block with the snippet's output block as its stdout, and
        each included backend output file as a ``text`` block in the prose.

    Raises:
        SnippetError: an included snippet is missing or cannot be parsed.
    """
    lang = page.parent.name
    text = _FRONT_MATTER.sub("", page.read_text(encoding="utf-8"), count=1)
    # Jupyter has no attr_list: a heading's { #id } would show as text. The notebook
    # page gets the page's ids back from tools/hooks/notebooks.py.
    text = strip_heading_ids(_flatten_tabs(_FIGURE.sub("", text)))
    outputs: list[str | None] = []
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        match = INCLUDE.match(line)
        if not match:
            lines.append(line)
            continue
        snippet = Path(root) / match.group("target")
        if not snippet.is_file():
            raise SnippetError(
                f"{rel(page)} (line {number} of the page body): includes missing file "
                f"{match.group('target')}"
            )
        if is_backend_output(snippet):
            # Another backend's output: shown as text, it is not what this kernel prints.
            for fence in parse_backend_output(snippet).outputs:
                lines += ["", "```text", fence.body.rstrip("\n"), "```", ""]
            continue
        for block in parse_snippet(snippet):
            if block.code.info == "python":
                lines += ["", "```python", block.code.body.rstrip("\n"), "```", ""]
                outputs.append(block.output.body if block.output else None)
    title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title_at is not None:
        title = lines[title_at][2:].strip()
        lines[title_at + 1 : title_at + 1] = ["", "> " + _INTRO[lang].format(title=title), ""]
    body = _ADMONITION.sub(_as_blockquote, "\n".join(lines).strip("\n") + "\n")
    # The notebook page is built at notebooks/<topic>/: pages are two levels up.
    body = _LINK.sub(
        lambda m: f"](../../{'' if m.group(1) == 'index' else m.group(1) + '/'}{m.group(2) or ''})",
        body,
    )
    notebook = jupytext.reads(body, fmt="md")
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code_cells) == len(outputs), (page, len(code_cells), len(outputs))
    for cell, output in zip(code_cells, outputs, strict=True):
        cell.metadata = {}
        cell.outputs = (
            [nbformat.v4.new_output("stream", name="stdout", text=output)] if output else []
        )
    # Right after the title and the note on where the notebook comes from (its first
    # cell), before any other prose: the install is the notebook's first code cell.
    notebook.cells[1:1] = install_cells(lang, Path(root) / "requirements.txt")
    for number, cell in enumerate(notebook.cells):
        cell.metadata.pop("lines_to_next_cell", None)
        # nbformat gives each cell a random id unless it has one: fixed ids keep the
        # file byte for byte the same from build to build (so it is not rewritten, and
        # mkdocs-jupyter's render cache, keyed by the file's bytes, is hit).
        if cell.get("id") != INSTALL_ID:
            cell.id = f"cell-{number}"
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    return notebook


def notebook_path(page: Path) -> Path:
    """Return where the notebook of ``page`` is written: beside it, in notebooks/."""
    return page.parent / NOTEBOOK_DIR / (page.stem + ".ipynb")


#: Per page: its text and its snippets' texts, and the notebook text made from them.
_MADE: dict[str, tuple[tuple, str]] = {}


def _notebook_text(page: Path, root: Path) -> str:
    """Return the notebook file text of ``page``, made again only when its inputs changed.

    Under ``mkdocs serve`` every rebuild wrote the notebooks of every page, and making
    them (jupytext, nbformat validation) was a tenth of the rebuild.
    """
    text = page.read_text(encoding="utf-8")
    targets = [Path(root) / m.group("target") for m in map(INCLUDE.match, text.splitlines()) if m]
    inputs = (text, *(t.read_text(encoding="utf-8") if t.is_file() else None for t in targets))
    made = _MADE.get(str(page))
    if made is None or made[0] != inputs:
        made = _MADE[str(page)] = (inputs, nbformat.writes(notebook_for_page(page, root)) + "\n")
    return made[1]


def write_notebooks(root: Path = ROOT, languages=LANGUAGES) -> list[Path]:
    """(Re)write every page's notebook whose content changed; return those written.

    Unchanged notebooks are left alone, so ``mkdocs serve`` does not see a change
    and rebuild in a loop. Notebooks of pages that no longer exist are removed.
    """
    written = []
    for lang, pages in pages_with_snippets(root).items():
        if lang not in languages:
            continue
        wanted = set()
        for page in pages:
            target = notebook_path(page)
            wanted.add(target)
            text = _notebook_text(page, root)
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(exist_ok=True)
                target.write_text(text, encoding="utf-8")
                written.append(target)
        if pages:
            for stale in notebook_path(pages[0]).parent.glob("*.ipynb"):
                if stale not in wanted:
                    stale.unlink()
    return written


def page_toc_tokens(page: Path, extensions: list, extension_configs: dict) -> list[dict]:
    """Return the table of contents of ``page`` as Python-Markdown makes it for the page.

    Args:
        page: a page ``docs/<lang>/<topic>.md``.
        extensions: the site's Markdown extensions (MkDocs' ``markdown_extensions``).
        extension_configs: their settings (MkDocs' ``mdx_configs``).

    Returns:
        Python-Markdown's ``toc_tokens`` of the page's headings (nested dicts with
        ``level``, ``id``, ``name``, ``children``): their explicit ids, and their
        text with code spans kept as text, as in the page's own table of contents.
    """
    lines = [
        "#" * h.level + " " + h.text + (f" {{ #{h.id} }}" if h.id else "")
        for h in page_headings(page)
    ]
    md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
    md.convert("\n\n".join(lines))
    return md.toc_tokens


def _flat(tokens: list[dict]):
    for token in tokens:
        yield token
        yield from _flat(token["children"])


def with_page_ids(html: str, tokens: list[dict], where: str) -> str:
    """Give the headings of a rendered notebook page the ids of its page's headings.

    mkdocs-jupyter (0.26) makes a notebook heading's id from its text (Japanese text
    gives ids such as ``max_queue_size``, or none at all) and its table of contents
    from a copy of the notebook with every code span cut out, so that the two need
    not even agree. The notebook has the page's headings in the page's order (its
    Markdown cells are the page's prose), so the n-th heading gets the page's n-th id,
    and a link to a section of the page works on its notebook page too.

    Args:
        html: the notebook page's content as mkdocs-jupyter rendered it.
        tokens: the page's table of contents (:func:`page_toc_tokens`).
        where: the notebook page, for the error message.

    Returns:
        ``html`` with each heading's id and pilcrow link set to the page's id.

    Raises:
        SnippetError: the notebook page does not have as many headings as the page.
    """
    ids = [token["id"] for token in _flat(tokens)]
    found = _NOTEBOOK_HEADING.findall(html)
    if len(found) != len(ids):
        raise SnippetError(
            f"{where}: the notebook page has {len(found)} headings and its page "
            f"{len(ids)}; the notebook's headings must be the page's"
        )
    ids_left = iter(ids)

    def give_id(match: re.Match) -> str:
        heading_id, level = next(ids_left), match.group("level")
        return (
            f'<h{level} id="{heading_id}">{match.group("inner")}<a class="anchor-link" '
            f'href="#{heading_id}">{match.group("mark")}</a></h{level}>'
        )

    return _NOTEBOOK_HEADING.sub(give_id, html)
