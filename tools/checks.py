"""Guards on the site as a whole: every promise the test command enforces.

Each ``check_*`` function takes the repository root (a real checkout or a copy in a
temporary folder) and returns a list of problems, one ``path:line: what`` string each;
an empty list means the promise holds. ``python -m tools.checks`` prints them all.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.utils.yaml import yaml_load
from pytest_codeblocks import extract_from_file

from tools.headings import ID_STYLE, page_headings
from tools.history_files import check_history
from tools.history_pages import check_changes
from tools.snippets import (
    BACKENDS,
    EXECUTED,
    INCLUDE,
    NOT_RUN,
    ROOT,
    SnippetError,
    backend_output_files,
    code_hash,
    including_pages,
    is_backend_output,
    is_keras2,
    page_files,
    page_includes,
    parse_backend_output,
    parse_fences,
    parse_snippet,
    snippet_files,
)
from tools.source_links import check_source_links
from tools.symptom_index import check_symptom_index

#: What an output block must never hold, because it changes from run to run.
UNSTABLE = {
    "carriage return (progress bar)": re.compile(r"\r"),
    "ANSI escape code": re.compile(r"\x1b\["),
    "progress bar": re.compile(r"━|\[=+[>.]"),
    "timing": re.compile(r"\d+(\.\d+)?\s*(ms|s|us|µs)/(step|sample)|\bETA\b|elapsed"),
    "memory address": re.compile(r"0x[0-9a-fA-F]{6,}"),
    "absolute path": re.compile(r"(^|[\s'\"(])(/(home|root|tmp|usr|var|opt|Users)/|[A-Z]:\\)"),
    "thread or process id": re.compile(
        r"\b(pid|tid|thread id|process id)\b\s*[:=]?\s*\d+|Thread-\d+|ident=\d+",
        re.IGNORECASE,
    ),
    # Named by a counter of the process: which number depends on what ran before.
    "worker thread or process name": re.compile(
        r"\b(ThreadPoolExecutor-\d+_\d+|(Fork|Spawn|ForkServer)PoolWorker-\d+|"
        r"(Fork|Spawn|ForkServer)?Process-\d+(:\d+)*|Dummy-\d+|[A-Za-z]+Thread-\d+)\b"
    ),
    # Keras names layers, models and tensors by a per-process counter (dense, dense_1,
    # ...), so the number depends on the snippets that ran before in the same process.
    "Keras-numbered layer name": re.compile(
        r"\b(dense|sequential|functional|model|input_layer|keras_tensor|lambda|"
        r"conv[123]d|lstm|gru|simple_rnn|rnn|embedding|dropout|flatten|reshape|"
        r"batch_normalization|normalization|layer_normalization|concatenate|add|"
        r"activation|identity)_\d+\b"
    ),
    # A decimal id() of a CPython object (a heap address, 12 digits or more).
    "decimal id()": re.compile(r"(?<![\d.])\d{12,}(?![\d.])"),
    "timestamp": re.compile(
        r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\b\d{1,2}:\d{2}:\d{2}\b|"
        r"(?<![\d.])1[5-9]\d{8}(\.\d+)?(?![\d.])"
    ),
    # Sets of strings print in hash order, which PYTHONHASHSEED changes every run.
    "set of strings, printed in hash order,": re.compile(
        r"(?<![\w:])\{\s*('[^']*'|\"[^\"]*\")\s*(,\s*('[^']*'|\"[^\"]*\")\s*)+\}|frozenset\(\{[^}]*,"
    ),
}


def _relative(path: Path, root: Path) -> str:
    return str(Path(path).relative_to(root))


def not_run_reason(markers: list[str]) -> str | None:
    """Return the reason of a ``<!-- not-run: reason -->`` marker, or None."""
    for marker in markers:
        match = NOT_RUN.match(marker)
        if match:
            return match.group("reason").strip()
    return None


def deliberately_not_run(root: Path = ROOT) -> list[str]:
    """List the fences marked ``<!-- not-run: reason -->``, with their reasons."""
    root = Path(root)
    listed = []
    files = snippet_files(root) + [p for ps in page_files(root).values() for p in ps]
    for path in files:
        for fence in parse_fences(path.read_text(encoding="utf-8"), path):
            reason = not_run_reason(fence.markers)
            if reason is not None:
                listed.append(f"{_relative(path, root)}:{fence.start}: {reason}")
    return listed


def parsed_snippets(root: Path, problems: list[str]):
    """Yield (path, blocks) of every snippet under ``root``.

    A snippet that cannot be parsed is appended to ``problems`` (one line) and
    skipped, so that each check reports it instead of stopping.
    """
    for path in snippet_files(root):
        try:
            yield path, parse_snippet(path)
        except SnippetError as error:
            problems.append(str(error))


def check_snippet_blocks(root: Path = ROOT) -> list[str]:
    """Every fence in snippets/ runs, is an output block, or is marked not-run.

    pytest-codeblocks 0.18.0 runs only fences whose info string is exactly
    ``python``, ``sh`` or ``bash``; ```` ```python title="x" ```` or ```` ```py ````
    are silently skipped. A marked not-run fence needs a reason, and so does a
    ``pytest.mark.skip``. An executed block must have an output block.
    """
    root = Path(root)
    problems = []
    for path, blocks in parsed_snippets(root, problems):
        where = _relative(path, root)
        for block in blocks:
            code = block.code
            reason = not_run_reason(code.markers)
            if reason is not None:
                if not reason:
                    problems.append(f"{where}:{code.start}: not-run marker needs a reason")
                continue
            if any("pytest.mark.skip" in m and "reason=" not in m for m in code.markers):
                problems.append(f"{where}:{code.start}: pytest.mark.skip needs a reason")
            if not code.executed:
                problems.append(
                    f"{where}:{code.start}: fence '{code.info}' is never run by "
                    "pytest-codeblocks (only exactly 'python', 'sh' or 'bash' are); "
                    "fix the info string or mark it <!-- not-run: reason -->"
                )
            elif block.output is None:
                problems.append(
                    f"{where}:{code.start}: code block has no "
                    "<!--pytest-codeblocks:expected-output--> block after it"
                )
    return problems


def check_page_fences(root: Path = ROOT) -> list[str]:
    """No page under docs/ holds a code fence of its own (not-run marked ones aside)."""
    root = Path(root)
    problems = []
    for pages in page_files(root).values():
        for page in pages:
            try:
                fences = parse_fences(page.read_text(encoding="utf-8"), page)
            except SnippetError as error:
                problems.append(str(error))
                continue
            for fence in fences:
                if not_run_reason(fence.markers) is None:
                    problems.append(
                        f"{_relative(page, root)}:{fence.start}: code fence typed "
                        "into a page; put it in snippets/ and include it"
                    )
    return problems


def language_twins(root: Path) -> list[tuple[Path, Path]]:
    """Pair each page of the first language with the same page of the second.

    Pages present in one language only are left out (check_languages reports them).
    """
    pages = page_files(root)
    first, second = pages
    pairs = []
    for page in pages[first]:
        twin = root / "docs" / second / page.relative_to(root / "docs" / first)
        if twin.is_file():
            pairs.append((page, twin))
    return pairs


def check_includes(root: Path = ROOT) -> list[str]:
    """Includes point at files that exist, match across languages, and cover snippets/.

    The two language versions of a page must include the same snippets in the same
    order, and every snippet must be included by some page.
    """
    root = Path(root)
    problems = []
    pages = page_files(root)
    for lang_pages in pages.values():
        for page in lang_pages:
            for number, target in page_includes(page):
                if not (root / target).is_file():
                    problems.append(
                        f"{_relative(page, root)}:{number}: includes missing file {target}"
                    )
    for page, twin in language_twins(root):
        mine = [t for _, t in page_includes(page)]
        theirs = [t for _, t in page_includes(twin)]
        if mine != theirs:
            problems.append(
                f"{_relative(page, root)} and {_relative(twin, root)} include "
                f"different snippets: {mine} vs {theirs}"
            )
    included = including_pages(root)
    for snippet in snippet_files(root) + backend_output_files(root):
        if _relative(snippet, root) not in included:
            problems.append(f"{_relative(snippet, root)}: included by no page")
    return problems


def nav_files(nav) -> list[str]:
    """Flatten an MkDocs ``nav`` value into its page paths, in order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in nav_files(value)]
    if isinstance(nav, list):
        return [f for item in nav for f in nav_files(item)]
    return []


def check_languages(root: Path = ROOT) -> list[str]:
    """Both languages have the same pages, and the same nav order (one shared nav)."""
    root = Path(root)
    problems = []
    pages = {
        lang: {str(p.relative_to(root / "docs" / lang)) for p in paths}
        for lang, paths in page_files(root).items()
    }
    (first, first_pages), (second, second_pages) = pages.items()
    for page in sorted(first_pages ^ second_pages):
        lang = first if page in first_pages else second
        problems.append(f"docs/{lang}/{page}: page exists in one language only")
    # MkDocs' own loader: it knows !ENV (site_url, repo_url: tools/site_links.py).
    base = yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    english = yaml_load((root / "mkdocs.en.yml").read_text(encoding="utf-8")) or {}
    # Pages left out of the nav on purpose (MkDocs' not_in_nav; here exact page names).
    out_of_nav = {
        line.strip().lstrip("/")
        for line in (base.get("not_in_nav") or "").splitlines()
        if line.strip() and not line.strip().startswith("#")
    }
    if "nav" in english:
        problems.append(
            "mkdocs.en.yml: sets its own nav; the English site must inherit the nav "
            "of mkdocs.yml so that both languages keep the same order"
        )
    nav = nav_files(base.get("nav", []))
    for lang, names in pages.items():
        for page in nav:
            if page not in names:
                problems.append(f"mkdocs.yml: nav lists {page}, missing in docs/{lang}/")
        for page in sorted(names - set(nav) - out_of_nav):
            problems.append(f"docs/{lang}/{page}: not in the nav of mkdocs.yml")
    return problems


#: A pymdownx.tabbed content tab: ``=== "Label"`` (``===+`` selects it by default).
TAB = re.compile(r'^\s*===\+?\s+"(?P<label>[^"]*)"\s*$')


def tab_labels(page: Path) -> list[str]:
    """Return the labels of a page's content tabs, in order."""
    text = Path(page).read_text(encoding="utf-8")
    return [m.group("label") for line in text.splitlines() if (m := TAB.match(line))]


def check_tab_labels(root: Path = ROOT) -> list[str]:
    """Both language versions of a page have the same content tabs, labelled alike.

    Material's ``content.tabs.link`` switches every tab set whose selected label
    matches, across pages, so the labels must not be translated.
    """
    root = Path(root)
    problems = []
    for page, twin in language_twins(root):
        mine, theirs = tab_labels(page), tab_labels(twin)
        if mine != theirs:
            problems.append(
                f"{_relative(page, root)} and {_relative(twin, root)} have different "
                f"content tabs: {mine} vs {theirs}"
            )
    return problems


def _show_ids(ids: list[tuple[int, str | None]]) -> str:
    """Show (level, id) pairs as ``#home ##contents ##?`` (``?``: a heading without id)."""
    return " ".join("#" * level + (heading_id or "?") for level, heading_id in ids)


def check_heading_ids(root: Path = ROOT) -> list[str]:
    """Every heading carries an explicit id, and twin pages have the same ids in order.

    A heading needs ``{ #english-slug }`` (lowercase words and digits joined by hyphens),
    unique on its page; the Japanese and the English version of a page must list the
    same ids at the same heading levels in the same order, so that a section has one
    address in both languages (links, the language switcher). Python-Markdown's own
    slugs drop Japanese characters (``#_1``), hence explicit ids everywhere.
    """
    root = Path(root)
    problems = []
    for lang_pages in page_files(root).values():
        for page in lang_pages:
            seen = set()
            for heading in page_headings(page):
                where = f"{_relative(page, root)}:{heading.line}"
                if heading.id is None:
                    problems.append(
                        f"{where}: heading {heading.text!r} has no explicit id; end it with "
                        "{ #english-slug }, the same id as on the other language's page"
                    )
                elif not ID_STYLE.match(heading.id):
                    problems.append(
                        f"{where}: id {heading.id!r} is not an English slug "
                        "(lowercase letters and digits joined by hyphens)"
                    )
                elif heading.id in seen:
                    problems.append(f"{where}: id {heading.id!r} is used twice on the page")
                seen.add(heading.id)
    for page, twin in language_twins(root):
        mine = [(h.level, h.id) for h in page_headings(page)]
        theirs = [(h.level, h.id) for h in page_headings(twin)]
        if mine != theirs:
            problems.append(
                f"{_relative(page, root)} and {_relative(twin, root)} have different "
                f"section ids: {_show_ids(mine)} vs {_show_ids(theirs)}"
            )
    return problems


#: An admonition's first line: ``!!! note "Title"``, collapsible ``??? note`` / ``???+``.
ADMONITION = re.compile(
    r'^\s*(?:!!!|\?\?\?\+?)\s+(?P<type>[\w-]+(?:\s+[\w-]+)*)(?:\s+"(?P<title>[^"]*)")?\s*$'
)
#: Hiragana, katakana or a CJK ideograph: what makes a title Japanese.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def check_japanese_admonition_titles(root: Path = ROOT) -> list[str]:
    """Every admonition on a Japanese page has a Japanese title.

    Without a title, Material shows the type name in English ("Note", "Warning"), and
    so does the page's notebook (tools/notebooks.py); ``!!! note "メモ"`` is the least.
    """
    root = Path(root)
    problems = []
    for page in page_files(root).get("ja", []):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            match = ADMONITION.match(line)
            if match and not JAPANESE.search(match.group("title") or ""):
                problems.append(
                    f"{_relative(page, root)}:{number}: admonition without a Japanese title "
                    f'(it would show the English type name); write e.g. !!! note "メモ"'
                )
    return problems


#: A GitHub-style task list item, ``- [ ] text``.
TASK_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s")


def check_no_task_list_items(root: Path = ROOT) -> list[str]:
    """No page writes ``- [ ]`` items: without an extension they show as text.

    pymdownx.tasklist would draw them as checkboxes, but its checkboxes have no
    accessible name (axe-core 4: rule "label", critical, once per item), so the
    checklist is a plain list.
    """
    root = Path(root)
    problems = []
    for lang_pages in page_files(root).values():
        for page in lang_pages:
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
                if TASK_ITEM.match(line):
                    problems.append(
                        f"{_relative(page, root)}:{number}: task list item; '[ ]' is shown "
                        "as text: write a plain list item"
                    )
    return problems


def check_stable_outputs(root: Path = ROOT) -> list[str]:
    """No output block holds text that changes from run to run (see UNSTABLE)."""
    root = Path(root)
    problems = []
    for path, blocks in parsed_snippets(root, problems):
        for block in blocks:
            if block.output is None:
                continue
            for offset, line in enumerate(block.output.body.split("\n"), 1):
                for what, pattern in UNSTABLE.items():
                    if pattern.search(line):
                        problems.append(
                            f"{_relative(path, root)}:{block.output.start + offset}: "
                            f"output holds a {what}, which is not stable: {line!r}"
                        )
    for path in backend_output_files(root):
        try:
            outputs = parse_backend_output(path).outputs
        except SnippetError:
            continue  # check_backend_outputs reports it
        for fence in outputs:
            for offset, line in enumerate(fence.body.split("\n"), 1):
                for what, pattern in UNSTABLE.items():
                    if pattern.search(line):
                        problems.append(
                            f"{_relative(path, root)}:{fence.start + offset}: "
                            f"output holds a {what}, which is not stable: {line!r}"
                        )
    return problems


def check_backend_outputs(root: Path = ROOT) -> list[str]:
    """Each backend output file belongs to a snippet and is shown with it.

    A backend output file ``snippets/<topic>/<name>.<backend>.md`` (written by
    ``python -m tools.backends --refresh``) must name a known backend other than
    TensorFlow (whose output is the snippet's own block) and, in its header, the Keras 3
    snippet beside it; hold one ``text`` block per executed block of that snippet; and be
    included by every page that includes the snippet, after the snippet, so that no
    page shows TensorFlow's output alone where another backend prints something else.
    """
    root = Path(root)
    problems = []
    includes = {
        _relative(page, root): [target for _, target in page_includes(page)]
        for lang_pages in page_files(root).values()
        for page in lang_pages
    }
    for path in backend_output_files(root):
        where = _relative(path, root)
        try:
            parsed = parse_backend_output(path)
        except SnippetError as error:
            problems.append(str(error).replace(str(path), where))
            continue
        if parsed.backend not in BACKENDS or parsed.backend == "tensorflow":
            others = ", ".join(b for b in BACKENDS if b != "tensorflow")
            problems.append(
                f"{where}:1: unknown backend {parsed.backend!r}; backend output files are "
                f"for {others} (TensorFlow's output is the snippet's own block)"
            )
            continue
        source = root / parsed.source
        beside = path.with_name(path.name.split(".")[0] + ".md")
        if not source.is_file() or source.resolve() != beside.resolve():
            problems.append(
                f"{where}:1: names snippet {parsed.source}, but the snippet it belongs to "
                f"is the one beside it, {_relative(beside, root)}"
                + ("" if beside.is_file() else ", which does not exist")
            )
            continue
        try:
            blocks = parse_snippet(source)
        except SnippetError as error:
            problems.append(str(error))
            continue
        if is_keras2(blocks):
            problems.append(
                f"{where}:1: {parsed.source} is a Keras 2 snippet, which runs the same on "
                "every backend"
            )
        executed = [b for b in blocks if b.code.executed and b.output is not None]
        if len(parsed.outputs) != len(executed):
            problems.append(
                f"{where}: holds {len(parsed.outputs)} output block(s) for the "
                f"{len(executed)} executed block(s) of {parsed.source}"
            )
        for page, targets in includes.items():
            if parsed.source in targets and where not in targets:
                problems.append(
                    f"{page}: shows {parsed.source} but not its output on "
                    f"{parsed.backend}, which differs ({where})"
                )
            elif where in targets and (
                parsed.source not in targets or targets.index(parsed.source) > targets.index(where)
            ):
                problems.append(
                    f"{page}: includes {where} without including {parsed.source} before it"
                )
    return problems


#: The content-tab labels of the whole site, the same in both languages: Material's
#: ``content.tabs.link`` switches every tab set whose label matches, across pages, so
#: one misspelt label (even the same way in both languages) breaks the link.
TAB_LABELS = ("Keras 3", "Keras 2 (tf_keras)", "TensorFlow", "JAX", "PyTorch")
#: The tab a backend output file belongs under, by backend (tools.backend_table.NAMES).
BACKEND_TABS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def tabbed_includes(page: Path) -> list[tuple[int, str | None, str]]:
    """Return (line, label of the innermost enclosing content tab or None, target).

    A pymdownx.tabbed tab ``=== "Label"`` holds the lines indented deeper than its
    marker that follow it; the first non-blank line at its indent or less ends it.
    """
    stack: list[tuple[int, str]] = []  # (indent of the tab marker, label)
    found = []
    text = Path(page).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        while stack and indent <= stack[-1][0]:
            stack.pop()
        if tab := TAB.match(line):
            stack.append((indent, tab.group("label")))
        elif include := INCLUDE.match(line):
            found.append((number, stack[-1][1] if stack else None, include.group("target")))
    return found


def check_tab_structure(root: Path = ROOT) -> list[str]:
    """Content tabs hold the same includes in both languages, and the right ones.

    - Both language versions of a page include the same snippets under the same tab
      labels ((tab label, include) pairs, in order), so an include moved out of its
      ``=== "Keras 3"`` tab in one language is caught.
    - A backend output file ``<name>.<backend>.md`` stands only under its backend's
      tab (``JAX``, ``PyTorch``), never outside a tab or under another backend's.
    - Every tab label is one of TAB_LABELS, the one set of labels of the site.
    """
    root = Path(root)
    problems = []
    for lang_pages in page_files(root).values():
        for page in lang_pages:
            where = _relative(page, root)
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
                tab = TAB.match(line)
                if tab and tab.group("label") not in TAB_LABELS:
                    problems.append(
                        f"{where}:{number}: tab label {tab.group('label')!r} is not one of "
                        f"the site's tab labels {list(TAB_LABELS)}"
                    )
            for number, label, target in tabbed_includes(page):
                named = is_backend_output(Path(target)) and Path(target).name.split(".")[1]
                wanted = BACKEND_TABS.get(named) if named else None
                if named and label != wanted:
                    problems.append(
                        f"{where}:{number}: {target} is {named}'s output and belongs under "
                        f'the tab === "{wanted}", not '
                        + (f'under === "{label}"' if label else "outside every tab")
                    )
    for page, twin in language_twins(root):
        mine = [(label, target) for _, label, target in tabbed_includes(page)]
        theirs = [(label, target) for _, label, target in tabbed_includes(twin)]
        if mine != theirs:
            problems.append(
                f"{_relative(page, root)} and {_relative(twin, root)} place their includes "
                f"under different tabs: {mine} vs {theirs}"
            )
    return problems


#: Forms pytest-codeblocks 0.18.0 reads differently from our parser, or that turn a
#: wrong output into a pass: never in a snippet.
FORBIDDEN_IN_SNIPPETS = {
    "skipfile": (
        re.compile(r"<!--[-\s]*pytest-codeblocks:[-\s]*skipfile"),
        "<!--pytest-codeblocks:skipfile--> makes pytest-codeblocks collect nothing",
    ),
    "pytest mark": (
        re.compile(r"<!--[-\s]*pytest\.mark\."),
        "a pytest.mark marker (xfail, skip, skipif) lets a wrong output pass; mark a "
        "block that must not run <!-- not-run: reason --> instead",
    ),
    "tilde fence": (
        re.compile(r"^\s*~~~"),
        "a ~~~ fence is not read by pytest-codeblocks (only ``` fences are); use ```",
    ),
}


def check_snippet_forms(root: Path = ROOT) -> list[str]:
    """No snippet uses a form that pytest-codeblocks reads otherwise (FORBIDDEN_IN_SNIPPETS)."""
    root = Path(root)
    problems = []
    for path in snippet_files(root) + backend_output_files(root):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, 1):
            for pattern, why in FORBIDDEN_IN_SNIPPETS.values():
                if pattern.search(line):
                    problems.append(f"{_relative(path, root)}:{number}: {why}")
    return problems


def _short(value) -> str:
    """Return a one-line repr of ``value``, cut to 60 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_snippets_run(root: Path = ROOT) -> list[str]:
    """Every snippet holds code that runs, and pytest-codeblocks runs what we parse.

    - At least one executed block with an output block per snippet: an emptied snippet,
      or one cut down to prose, would otherwise collect nothing and pass.
    - pytest-codeblocks' own extraction (its public ``extract_from_file``) finds the
      same executed blocks (line, code and expected output) as tools.snippets does, so
      the test command checks exactly what our tools refresh, run and show.
    """
    root = Path(root)
    problems = []
    for path, blocks in parsed_snippets(root, problems):
        where = _relative(path, root)
        ours = [
            (b.code.start, b.code.body, b.output.body if b.output else None)
            for b in blocks
            if b.code.executed and "cont" not in b.code.markers
        ]
        if not any(output is not None for _, _, output in ours):
            problems.append(
                f"{where}: holds no executed ```python block with an output block; a "
                "snippet shows code that runs and what it printed"
            )
        try:
            theirs = [
                (b.lineno, b.code, b.expected_output)
                for b in extract_from_file(path)
                if b.syntax in EXECUTED
            ]
        except (RuntimeError, OSError, UnicodeDecodeError) as error:
            problems.append(f"{where}: pytest-codeblocks cannot read it: {error}")
            continue
        if len(theirs) != len(ours):
            problems.append(
                f"{where}: pytest-codeblocks collects {len(theirs)} block(s), our parser "
                f"finds {len(ours)}"
            )
        for mine, its in zip(ours, theirs, strict=False):
            if mine != its:
                what = ("line", "code", "expected output")
                differ = [
                    f"{w}: ours {_short(a)}, its {_short(b)}"
                    for w, a, b in zip(what, mine, its, strict=True)
                    if a != b
                ]
                problems.append(
                    f"{where}:{mine[0]}: pytest-codeblocks reads this block otherwise "
                    f"({'; '.join(differ)})"
                )
    return problems


def check_backend_code(root: Path = ROOT) -> list[str]:
    """Each backend output file was made from the snippet's code as it is now.

    ``python -m tools.backends --refresh`` records tools.snippets.code_hash() of the
    snippet in the file's header. Once the snippet's code changes (and ``make refresh``
    rewrites its own output), the jax/torch outputs and the comparison tables built from
    them describe the old code until ``make backends ARGS=--refresh`` runs again; this
    check sees that with no JAX or PyTorch installed.
    """
    root = Path(root)
    problems = []
    for path in backend_output_files(root):
        where = _relative(path, root)
        try:
            parsed = parse_backend_output(path)
            source = root / parsed.source
            now = code_hash(source) if source.is_file() else None
        except SnippetError:
            continue  # check_backend_outputs reports it
        if now is None:
            continue  # check_backend_outputs reports it
        if parsed.code is None:
            problems.append(
                f"{where}:1: records no hash of the code it was made from; run make "
                "backends ARGS=--refresh"
            )
        elif parsed.code != now:
            problems.append(
                f"{where}:1: made from other code than {parsed.source} holds now (code "
                f"sha256 {parsed.code}, now {now}): its outputs are stale; run make backends "
                "ARGS=--refresh"
            )
    return problems


def check_not_run_reasons(root: Path = ROOT) -> list[str]:
    """A ``<!-- not-run: reason -->`` marker on a page states its reason.

    check_snippet_blocks holds snippets to this; a page may show a command for readers
    (``make serve``) only with the reason it is not run, which ``python -m tools.checks``
    lists.
    """
    root = Path(root)
    problems = []
    for pages in page_files(root).values():
        for page in pages:
            try:
                fences = parse_fences(page.read_text(encoding="utf-8"), page)
            except SnippetError:
                continue  # check_page_fences reports it
            for fence in fences:
                if not_run_reason(fence.markers) == "":
                    problems.append(
                        f"{_relative(page, root)}:{fence.start}: not-run marker needs a reason"
                    )
    return problems


CHECKS = (
    check_snippet_blocks,
    check_page_fences,
    check_includes,
    check_languages,
    check_tab_labels,
    check_heading_ids,
    check_japanese_admonition_titles,
    check_no_task_list_items,
    check_stable_outputs,
    check_backend_outputs,
    check_tab_structure,
    check_snippet_forms,
    check_snippets_run,
    check_backend_code,
    check_not_run_reasons,
    check_source_links,
    check_symptom_index,
    check_history,
    check_changes,
)


def all_problems(root: Path = ROOT) -> list[str]:
    """Run every check on ``root``; a bad tree gives problems, never a traceback."""
    problems = []
    for check in CHECKS:
        try:
            problems.extend(check(root))
        except SnippetError as error:
            problems.append(str(error))
    return problems


def main() -> int:
    """Print every problem of the checkout, one per line; exit 1 if there is any."""
    problems = all_problems(ROOT)
    for problem in problems:
        print(problem)
    for item in deliberately_not_run(ROOT):
        print(f"not run (deliberately): {item}")
    print(f"checks: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
