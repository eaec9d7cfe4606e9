"""Read snippet files and the pages that include them.

A snippet (``snippets/<topic>/<name>.md``) holds a fenced ``python`` block and, right
after it, ``<!--pytest-codeblocks:expected-output-->`` and a fenced ``text`` block with
what the code printed. Pages under ``docs/<lang>/`` include snippets with the
pymdownx.snippets line ``--8<-- "snippets/<topic>/<name>.md"``.

Every problem is raised as SnippetError with a ``path:line: message`` text, so our
scripts can print one clear line instead of a traceback.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ja", "en")
#: Fence info strings that pytest-codeblocks executes; any other fence is not run.
EXECUTED = ("python", "sh", "bash")
OUTPUT_MARKER = "expected-output"

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,}|~{3,})(?P<info>.*)$")
_MARKER = re.compile(r"^<!--\s*pytest-codeblocks:(?P<keyword>[^\s>]*?)\s*-->$")
_MARK = re.compile(r"^<!--\s*pytest\.mark\..*-->$")
#: ``<!-- not-run: reason -->`` above a fence: shown to readers, deliberately not run.
NOT_RUN = re.compile(r"^<!--\s*not-run:(?P<reason>.*?)-->$")
_KNOWN_KEYWORDS = {
    "expected-output",
    "expected-output-ignore-whitespace",
    "cont",
    "skipfile",
}
INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(?P<quote>["'])(?P<target>[^"']+)(?P=quote)\s*$""")

#: The Keras 3 backends the snippets are checked on (``python -m tools.backends``).
#: TensorFlow's verified output is the snippet's own output block; another backend's,
#: where it differs, is a backend output file beside the snippet.
BACKENDS = ("tensorflow", "jax", "torch")
#: A backend output file: ``snippets/<topic>/<name>.<backend>.md``.
_BACKEND_FILE = re.compile(r"^(?P<stem>[^.]+)\.(?P<backend>[^.]+)\.md$")
#: The first line of a backend output file, naming its snippet and backend.
BACKEND_HEADER = re.compile(
    r"^<!-- output of (?P<source>\S+\.md) with KERAS_BACKEND=(?P<backend>\S+); "
    r"(?:code sha256 (?P<code>[0-9a-f]+); )?"
    r"written by python -m tools\.backends --refresh -->$"
)
#: Hex digits of the snippet's code hash kept in a backend output file's header.
CODE_HASH_LENGTH = 16
#: A Keras 2 snippet keeps its code in a module-level string LEGACY run by tf_keras.
_LEGACY = re.compile(r"^LEGACY\s*=", re.MULTILINE)


class SnippetError(Exception):
    """A snippet or page that our tools cannot read; str() is ``path:line: what``."""


@dataclass
class Fence:
    """One fenced block: 1-based lines of its opening and closing fence."""

    start: int
    end: int
    info: str
    body: str
    markers: list[str] = field(default_factory=list)  # comments right above it

    @property
    def executed(self) -> bool:
        """True when pytest-codeblocks runs this block (info exactly python/sh/bash)."""
        return self.info in EXECUTED


@dataclass
class Block:
    """A code block and the output block that follows it (None if there is none)."""

    code: Fence
    output: Fence | None


def rel(path: Path) -> str:
    """Return ``path`` relative to the repository root when inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def parse_fences(text: str, path: Path) -> list[Fence]:
    """Split Markdown ``text`` into its fenced blocks, in order.

    Each fence carries the ``<!--pytest-codeblocks:...-->`` / ``<!--pytest.mark...-->``
    comments that stand right above it (blank lines allowed between).

    Raises:
        SnippetError: a fence is never closed, or a pytest-codeblocks comment is
            malformed or names an unknown keyword.
    """
    fences: list[Fence] = []
    pending: list[str] = []
    # Split on "\n" only, so that a stray "\r" stays visible to the checks.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        stripped = line.strip()
        if not stripped:
            continue
        if "pytest-codeblocks" in stripped and stripped.startswith("<!"):
            match = _MARKER.match(stripped)
            if not match or match.group("keyword") not in _KNOWN_KEYWORDS:
                raise SnippetError(
                    f"{rel(path)}:{number}: malformed pytest-codeblocks marker "
                    f"{stripped!r}; expected e.g. <!--pytest-codeblocks:expected-output-->"
                )
            pending.append(match.group("keyword"))
            continue
        if _MARK.match(stripped) or NOT_RUN.match(stripped):
            pending.append(stripped)
            continue
        opening = _FENCE.match(line)
        if not opening:
            pending = []
            continue
        ticks, start = opening.group("ticks"), number
        body = []
        while True:
            if number >= len(lines):
                raise SnippetError(f"{rel(path)}:{start}: code fence is never closed")
            line = lines[number]
            number += 1
            closing = _FENCE.match(line)
            if (
                closing
                and closing.group("ticks")[0] == ticks[0]
                and len(closing.group("ticks")) >= len(ticks)
                and not closing.group("info").strip()
            ):
                break
            body.append(line)
        fences.append(
            Fence(
                start=start,
                end=number,
                # As pytest-codeblocks reads it: "``` python" has info " python".
                info=opening.group("info").rstrip(),
                body="\n".join(body) + ("\n" if body else ""),
                markers=pending,
            )
        )
        pending = []
    return fences


def parse_snippet(path: Path) -> list[Block]:
    """Pair each code block of a snippet file with its expected-output block.

    Returns:
        The blocks in file order; ``output`` is None for a code block that has no
        ``<!--pytest-codeblocks:expected-output-->`` block after it.

    Raises:
        SnippetError: unreadable file, unclosed fence, malformed marker, or an
            expected-output marker with no code block before it.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SnippetError(f"{rel(path)}: cannot read: {error}") from None
    blocks: list[Block] = []
    for fence in parse_fences(text, path):
        if any(m.startswith(OUTPUT_MARKER) for m in fence.markers):
            if not blocks or blocks[-1].output is not None:
                raise SnippetError(
                    f"{rel(path)}:{fence.start}: expected-output block with no code block before it"
                )
            blocks[-1].output = fence
        else:
            blocks.append(Block(code=fence, output=None))
    return blocks


def is_backend_output(path: Path) -> bool:
    """True for a backend output file (``<name>.<backend>.md``), not a snippet."""
    return bool(_BACKEND_FILE.match(Path(path).name))


def snippet_files(root: Path = ROOT) -> list[Path]:
    """Return every snippet file under ``root/snippets``, sorted as pytest collects.

    Backend output files (see backend_output_files) are not snippets and are left out.
    """
    return sorted(p for p in (Path(root) / "snippets").rglob("*.md") if not is_backend_output(p))


def backend_output_files(root: Path = ROOT) -> list[Path]:
    """Return every backend output file under ``root/snippets``, sorted."""
    return sorted(p for p in (Path(root) / "snippets").rglob("*.md") if is_backend_output(p))


def backend_output_path(snippet: Path, backend: str) -> Path:
    """Return where ``snippet``'s output on ``backend`` is kept when it differs."""
    return Path(snippet).with_name(f"{Path(snippet).stem}.{backend}.md")


def is_keras2(blocks: list[Block]) -> bool:
    """True for a Keras 2 snippet: its code is a LEGACY string that tf_keras runs.

    Such a snippet runs the same on every Keras 3 backend (tf_keras is TensorFlow only),
    so tools.backends does not run it.
    """
    return any(_LEGACY.search(block.code.body) for block in blocks)


def code_hash(snippet: Path) -> str:
    """Return the hash of what a snippet runs, as backend output files record it.

    It covers the info string and code of every executed block (not the output
    blocks), so a backend output file made from other code no longer matches.

    Raises:
        SnippetError: the snippet cannot be read or parsed.
    """
    digest = hashlib.sha256()
    for block in parse_snippet(snippet):
        if block.code.executed:
            digest.update(f"{block.code.info}\n{block.code.body}\0".encode())
    return digest.hexdigest()[:CODE_HASH_LENGTH]


@dataclass
class BackendOutput:
    """A backend output file: what a snippet's blocks print on one other backend."""

    path: Path
    source: str  # the snippet, from the repository root, as written in the header
    backend: str
    outputs: list[Fence]  # one ``text`` fence per executed block of the snippet
    code: str | None  # code_hash() of the snippet it was made from; None in old files


def parse_backend_output(path: Path) -> BackendOutput:
    """Read a backend output file: the header line, then one ``text`` fence per block.

    Raises:
        SnippetError: unreadable, no header on the first line, a header whose backend
            is not the file name's, or a fence that is not a ``text`` block.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SnippetError(f"{rel(path)}: cannot read: {error}") from None
    header = BACKEND_HEADER.match(text.split("\n", 1)[0])
    if not header:
        raise SnippetError(
            f"{rel(path)}:1: a backend output file starts with '<!-- output of "
            "snippets/<topic>/<name>.md with KERAS_BACKEND=<backend>; code sha256 <hash>; "
            "written by python -m tools.backends --refresh -->'; write it with python -m "
            "tools.backends --refresh"
        )
    named = _BACKEND_FILE.match(Path(path).name)
    if header.group("backend") != named.group("backend"):
        raise SnippetError(
            f"{rel(path)}:1: header names backend {header.group('backend')!r}, the file "
            f"name {named.group('backend')!r}"
        )
    fences = parse_fences(text, path)
    for fence in fences:
        if fence.info != "text" or fence.markers:
            raise SnippetError(
                f"{rel(path)}:{fence.start}: a backend output file holds only plain "
                f"```text blocks, found '{fence.info}'"
                + (" with a marker above it" if fence.markers else "")
            )
    return BackendOutput(
        Path(path), header.group("source"), header.group("backend"), fences, header.group("code")
    )


def backend_output_text(source: str, backend: str, outputs: list[str], code: str) -> str:
    """Return the text of a backend output file (as tools.backends --refresh writes it).

    Args:
        source: the snippet, from the repository root.
        backend: the Keras backend the outputs were printed on.
        outputs: what each executed block printed, in order.
        code: code_hash() of the snippet when it printed them, kept in the header so
            that the test command sees a file made from older code (check_backend_code).
    """
    parts = [
        f"<!-- output of {source} with KERAS_BACKEND={backend}; code sha256 {code}; "
        "written by python -m tools.backends --refresh -->\n"
    ]
    for output in outputs:
        parts.append(f"\n```text\n{output}```\n")
    return "".join(parts)


def page_files(root: Path = ROOT) -> dict[str, list[Path]]:
    """Return the Markdown pages of each language folder under ``root/docs``.

    Raises:
        SnippetError: ``docs/`` holds a folder that is not a known language.
    """
    docs = Path(root) / "docs"
    unknown = sorted(p.name for p in docs.iterdir() if p.is_dir() and p.name not in LANGUAGES)
    if unknown:
        raise SnippetError(
            f"{rel(docs)}: unknown language folder(s) {', '.join(unknown)}; "
            f"the site has {', '.join(LANGUAGES)}"
        )
    return {lang: sorted((docs / lang).rglob("*.md")) for lang in LANGUAGES}


def page_includes(page: Path) -> list[tuple[int, str]]:
    """Return the (1-based line, target path) of each snippet include of a page."""
    text = Path(page).read_text(encoding="utf-8")
    return [
        (number, match.group("target"))
        for number, line in enumerate(text.splitlines(), 1)
        if (match := INCLUDE.match(line))
    ]


def has_includes(markdown: str) -> bool:
    """True when the Markdown text has at least one snippet include line."""
    return any(INCLUDE.match(line) for line in markdown.splitlines())


def including_pages(root: Path = ROOT) -> dict[str, list[str]]:
    """Map each included path (as written) to the pages that include it.

    Returns:
        ``{"snippets/x/y.md": ["docs/ja/x.md", "docs/en/x.md"], ...}`` with page
        paths relative to ``root``.
    """
    root = Path(root)
    included: dict[str, list[str]] = {}
    for pages in page_files(root).values():
        for page in pages:
            for _, target in page_includes(page):
                included.setdefault(target, []).append(str(page.relative_to(root)))
    return included
