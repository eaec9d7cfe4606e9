"""The comparison of the Keras backends, as Markdown tables built from verified outputs.

The page ``docs/<lang>/backends.md`` holds the line ``<!-- backends-table -->``; the hook
tools/hooks/backends_table.py replaces it, at build time, with what ``render()`` returns.
Nothing in it is typed by hand: for every Keras 3 snippet and every backend it reads the
output that ``python -m tools.backends`` checks for that backend (the snippet's own output
block, or the backend output file ``<name>.<backend>.md`` where the backend differs), so
each cell is what a real run printed, and the backend command fails when a run no longer
prints it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from tools.backends import expected_outputs, keras3_snippets
from tools.snippets import (
    BACKENDS,
    ROOT,
    SnippetError,
    backend_output_files,
    including_pages,
    parse_backend_output,
)

MARKER = "<!-- backends-table -->"
#: A page's table row asks for one cell per backend with
#: ``<!-- backend-cells snippets/<topic>/<name>.md "line prefix" -->``.
CELLS = re.compile(r'<!-- backend-cells (?P<snippet>\S+) "(?P<prefix>[^"]+)" -->')
#: Backend names as the pages' tab labels spell them (the same in both languages).
NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
TEXT = {
    "ja": {
        "backend": "バックエンド",
        "same": "TensorFlow と同じ",
        "first": "最初に違う行",
        "lines": "違う行",
        "of": "{n} 行中 {k} 行",
        "empty": "(出力なし)",
        "intro_same": "次の {n} 個のスニペットは、3 つのバックエンドで同じ出力です。",
    },
    "en": {
        "backend": "Backend",
        "same": "same as TensorFlow",
        "first": "First line that differs",
        "lines": "Lines that differ",
        "of": "{k} of {n}",
        "empty": "(no output)",
        "intro_same": "These {n} snippets print the same on all three backends.",
    },
}


def outputs(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """Return ``{snippet: {backend: verified output}}`` for every Keras 3 snippet.

    Raises:
        SnippetError: a snippet or backend output file cannot be read.
    """
    found = {}
    for path in keras3_snippets(root):
        name = path.relative_to(root).as_posix()
        found[name] = {
            backend: "".join(expected_outputs(path, backend, root)[0]) for backend in BACKENDS
        }
    return found


def _page_link(snippet: str, lang: str, pages: dict[str, list[str]]) -> str:
    """Return a Markdown link to the page of ``lang`` that shows ``snippet``."""
    name = snippet.removeprefix("snippets/").removesuffix(".md")
    shown = [p for p in pages.get(snippet, []) if p.startswith(f"docs/{lang}/")]
    if not shown:
        return f"`{name}`"
    return f"[`{name}`]({Path(shown[0]).relative_to(f'docs/{lang}').as_posix()})"


def _code(line: str) -> str:
    """Return ``line`` as inline code that survives a Markdown table cell."""
    line = line.replace("|", "\\|")
    ticks = "``" if "`" in line else "`"
    pad = " " if "`" in line else ""
    return f"{ticks}{pad}{line}{pad}{ticks}"


def differing_lines(printed: str, other: str) -> list[str]:
    """Return the lines of ``printed`` that ``other`` does not have at that place."""
    matcher = difflib.SequenceMatcher(a=other.splitlines(), b=printed.splitlines())
    lines = printed.splitlines()
    return [
        line
        for tag, _, _, first, last in matcher.get_opcodes()
        if tag != "equal"
        for line in lines[first:last]
    ]


def render(lang: str, root: Path = ROOT, found: dict | None = None) -> str:
    """Return the comparison as Markdown, in ``lang`` ("ja" or "en").

    For each Keras 3 snippet whose output differs on some backend, a heading linking to
    its page and a table: per backend, the first line that differs and how many lines
    differ. Then the list of snippets that print the same on every backend.
    """
    text = TEXT[lang]
    pages = including_pages(root)
    found = outputs(root) if found is None else found
    differ = {s: o for s, o in found.items() if len(set(o.values())) > 1}
    same = [s for s in found if s not in differ]
    lines = []
    for snippet, by_backend in differ.items():
        lines += [
            f"### {_page_link(snippet, lang, pages)}",
            "",
            f"| {text['backend']} | {text['first']} | {text['lines']} |",
            "| --- | --- | --- |",
        ]
        for backend in BACKENDS:
            mine = by_backend[backend]
            # TensorFlow against the first backend that differs; the others against TensorFlow.
            reference = (
                by_backend["tensorflow"]
                if backend != "tensorflow"
                else next(o for o in by_backend.values() if o != mine)
            )
            if mine == reference:
                lines.append(f"| {NAMES[backend]} | {text['same']} | |")
                continue
            changed = differing_lines(mine, reference)
            first = _code(changed[0].strip()) if changed else text["empty"]
            count = text["of"].format(k=len(changed), n=len(mine.splitlines()))
            lines.append(f"| {NAMES[backend]} | {first} | {count} |")
        lines.append("")
    lines += [text["intro_same"].format(n=len(same)), ""]
    lines += [f"- {_page_link(snippet, lang, pages)}" for snippet in same]
    return "\n".join(lines) + "\n"


def cells(snippet: str, prefix: str, root: Path = ROOT, found: dict | None = None) -> list[str]:
    """Return, per backend (``BACKENDS`` order), what follows ``prefix`` on its output line.

    Args:
        snippet: a Keras 3 snippet, ``snippets/<topic>/<name>.md``.
        prefix: the start of exactly one line (leading spaces ignored) of the snippet's
            verified output on every backend, e.g. ``"call 2:"``.
        root: the repository whose snippets are read.
        found: what ``outputs(root)`` returns, when the caller has it already.

    Returns:
        One string per backend, the rest of that line, stripped: ``["[6, 7, 8]", ...]``.

    Raises:
        SnippetError: the snippet is not a Keras 3 snippet, or on some backend no line or
            more than one line of its verified output starts with ``prefix``.
    """
    found = outputs(root) if found is None else found
    if snippet not in found:
        raise SnippetError(f"{snippet}: not a Keras 3 snippet of this site")
    values = []
    for backend in BACKENDS:
        lines = [
            line.strip()
            for line in found[snippet][backend].splitlines()
            if line.strip().startswith(prefix)
        ]
        if len(lines) != 1:
            raise SnippetError(
                f"{snippet}: {len(lines)} lines of its output with KERAS_BACKEND={backend} "
                f'start with "{prefix}" (need exactly 1)'
            )
        values.append(lines[0].removeprefix(prefix).strip())
    return values


def fill(markdown: str, lang: str, root: Path = ROOT) -> str:
    """Replace the marker line of a page with the tables, and each cells marker with cells.

    A cells marker becomes the three values of ``cells``, each as inline code, joined by
    `` | ``: a table row ``| label | <!-- backend-cells ... --> |`` gets a column per
    backend.

    Raises:
        SnippetError: an output cannot be read, or a cells marker matches no single line
            (the build shows the one line).
    """
    if MARKER not in markdown and not CELLS.search(markdown):
        return markdown
    found = outputs(root)  # read once for the whole page
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render(lang, root, found))
    return CELLS.sub(
        lambda m: " | ".join(_code(v) for v in cells(m["snippet"], m["prefix"], root, found)),
        markdown,
    )


#: The section of docs/<lang>/backends.md that says, per difference, what it is and why.
REASONS = "what-the-differences-come-from"


def unexplained(lang: str, root: Path = ROOT) -> list[str]:
    """Return the snippets that differ between backends but whose page the reasons omit.

    A snippet differs between backends when it has a backend output file
    (``<name>.<backend>.md``). Its difference is explained when the section
    ``{ #what-the-differences-come-from }`` of ``docs/<lang>/backends.md`` links a page of
    ``lang`` that shows the snippet.

    Returns:
        The snippets, ``snippets/<topic>/<name>.md``, sorted; empty when all are explained.

    Raises:
        SnippetError: the comparison page has no such section, or a backend output file
            cannot be read.
    """
    page = Path(root) / "docs" / lang / "backends.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    start = re.search(rf"^##[^\n]*\{{ #{REASONS} \}}$", text, re.M)
    if start is None:
        raise SnippetError(f"docs/{lang}/backends.md: no section {{ #{REASONS} }}")
    end = re.search(r"^## ", text[start.end() :], re.M)
    section = text[start.end() : start.end() + end.start() if end else len(text)]
    linked = set(re.findall(r"\]\(([\w-]+\.md)(?:#[\w-]+)?\)", section))
    pages = including_pages(root)
    missing = set()
    for path in backend_output_files(root):
        snippet = parse_backend_output(path).source
        shown = {Path(p).name for p in pages.get(snippet, []) if p.startswith(f"docs/{lang}/")}
        if not shown & linked:
            missing.add(snippet)
    return sorted(missing)
