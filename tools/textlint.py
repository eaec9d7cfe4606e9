"""The Japanese style check: textlint on the Japanese pages, with the terms of prh.yml.

textlint (pinned in package.json and package-lock.json, installed with ``npm ci``) runs
``preset-ja-technical-writing`` and ``prh`` as configured in ``.textlintrc.yml`` on every
``docs/ja/*.md`` and on the Japanese parts of ``README.md`` and ``CONTRIBUTING.md`` (from
their ``## 日本語`` heading on).

textlint's Markdown parser does not know the MkDocs syntax the pages use: the body of an
admonition (``!!! note "タイトル"``) or of a content tab (``=== "JAX"``) is indented by
four spaces, which plain Markdown reads as a code block, so textlint would skip it, and a
``<figure>`` is an HTML block, so its caption would be skipped too. So each file is first
rewritten by :func:`plain_markdown` into a temporary copy with the same line numbers:
container bodies dedented, an admonition's title turned into a heading, tab labels,
``--8<--`` includes and figure tags blanked, a figure's caption and image alt text kept
as text. textlint checks the copies; each problem is reported against the real file, as
``path:line:column: message [rule]`` (columns of dedented lines moved back).

``python -m tools.textlint`` prints the problems and exits 1 if there are any, or 2 with
one line when textlint cannot run (no Node.js, or ``npm ci`` not run).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.snippets import ROOT

CONFIG = ".textlintrc.yml"
README = "README.md"
#: Files in both languages: only their part from the ``## 日本語`` heading on is checked.
BILINGUAL = (README, "CONTRIBUTING.md")
#: The textlint command installed by ``npm ci`` (package.json pins it).
TEXTLINT = Path("node_modules") / ".bin" / "textlint"
#: Where a bilingual file's Japanese part starts; the lines above it are left out.
README_JA = "## 日本語"
#: Body indent of admonitions and content tabs (Python-Markdown's tab length).
INDENT = 4

_CONTAINER = re.compile(r"^(?P<mark>!!!|\?\?\?\+?|===\+?)\s*(?P<rest>.*)$")
_TITLE = re.compile(r'"(?P<title>[^"]*)"')
_INCLUDE = re.compile(r"^-{1,}8<-{1,}\s")
_FIGURE_TAG = re.compile(r"^</?figure\b[^>]*>\s*$")
_CAPTION = re.compile(r"</?figcaption>")
_CODE = re.compile(r"</?code>")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
#: Terms each page introduces with the English word at its first use (issue 16).
INTRODUCED = {"覗き見": "peek"}
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")


class TextlintError(Exception):
    """textlint cannot run (no Node.js, not installed, bad config); str() is one line."""


@dataclass
class Problem:
    """One problem textlint found, placed in the real file."""

    path: str  # relative to the root
    line: int
    column: int
    message: str
    rule: str

    def __str__(self) -> str:
        """``path:line:column: message [rule]``, on one line."""
        message = " ".join(self.message.split())  # textlint's messages may span lines
        return f"{self.path}:{self.line}:{self.column}: {message} [{self.rule}]"


def japanese_files(root: Path = ROOT) -> list[Path]:
    """The files the check covers: every Japanese page, README.md and CONTRIBUTING.md."""
    files = sorted((Path(root) / "docs" / "ja").glob("*.md"))
    return files + [Path(root) / n for n in BILINGUAL if (Path(root) / n).is_file()]


def plain_markdown(text: str, *, readme: bool = False) -> tuple[str, dict[int, int]]:
    """Rewrite MkDocs syntax into plain Markdown that textlint reads, line for line.

    Args:
        text: the page's Markdown.
        readme: keep only the part from the ``## 日本語`` heading on (BILINGUAL files).

    Returns:
        The rewritten text, with exactly as many lines as ``text``, and for each line
        (1-based) whose text moved left, by how many columns (dedented bodies, titles).
    """
    lines = text.split("\n")
    out: list[str] = []
    shifts: dict[int, int] = {}
    bodies: list[int] = []  # body indent of each open admonition or tab
    in_figure = False
    japanese = not readme
    for number, line in enumerate(lines, start=1):
        if not japanese:
            japanese = line.strip() == README_JA
            out.append(line if japanese else "")
            continue
        stripped = line.lstrip(" ")
        if not stripped:
            out.append("")
            continue
        indent = len(line) - len(stripped)
        while bodies and indent < bodies[-1]:
            bodies.pop()
        depth = bodies[-1] if bodies else 0
        body = line[depth:]
        if depth:
            shifts[number] = depth
        container = _CONTAINER.match(body)
        if container:
            bodies.append(depth + INDENT)
            title = _TITLE.search(container["rest"]) if container["mark"] != "===" else None
            if title and title["title"]:
                heading = "#### "
                out.append(heading + title["title"])
                # The title's column in the page, less its column in the heading.
                start = depth + container.start("rest") + title.start("title")
                shifts[number] = start - len(heading)
            else:
                out.append("")
        elif _INCLUDE.match(body):
            out.append("")
        elif _FIGURE_TAG.match(body):
            in_figure = body.lstrip().startswith("<figure")
            out.append("")
        elif in_figure:
            # The image pair (light, dark) has one alt text; the caption is plain text.
            images = _IMAGE.findall(body)
            plain = images[0] if images else _CODE.sub("`", _CAPTION.sub("", body))
            out.append(plain)
        else:
            out.append(body)
    return "\n".join(out), shifts


def introductions(files: list[Path], root: Path = ROOT) -> list[str]:
    """Check that each page introduces the terms of INTRODUCED at their first use.

    Returns:
        One ``path:line: what`` string per page whose first use of a term (front
        matter aside) is not followed by its English word, as in ``覗き見(peek)``.
    """
    problems = []
    for path in files:
        name = str(Path(path).resolve().relative_to(Path(root).resolve()))
        text, _ = plain_markdown(Path(path).read_text(encoding="utf-8"), readme=name in BILINGUAL)
        body = _FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
        for term, english in INTRODUCED.items():
            first = body.find(term)
            introduced = f"{term}({english})"
            if first >= 0 and not body.startswith(introduced, first):
                line = body.count("\n", 0, first) + 1
                problems.append(f"{name}:{line}: the first {term} must read {introduced}")
    return problems


def textlint_command(root: Path = ROOT) -> list[str]:
    """The command that runs the pinned textlint, or raise TextlintError (one line)."""
    node = shutil.which("node")
    if node is None:
        raise TextlintError("Node.js not found: the Japanese style check needs node and npm")
    script = Path(root) / TEXTLINT
    if not script.exists():
        raise TextlintError(f"textlint is not installed: run `npm ci` in {root} (make test does)")
    return [node, str(script.resolve())]


def lint(files: list[Path], root: Path = ROOT, tool_root: Path = ROOT) -> list[Problem]:
    """Run textlint on ``files`` and return its problems, placed in the real files.

    Args:
        files: Markdown files under ``root`` (pages, README.md).
        root: the tree whose ``.textlintrc.json`` (and the prh.yml it names) is used,
            and against which paths are reported.
        tool_root: where ``node_modules`` is (the checkout, for a copy of the tree).

    Raises:
        TextlintError: textlint cannot run or did not give a report.
    """
    command = textlint_command(tool_root)
    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="textlint-") as temporary:
        copies: dict[str, tuple[str, dict[int, int]]] = {}
        for index, path in enumerate(files):
            name = str(Path(path).resolve().relative_to(root.resolve()))
            text, shifts = plain_markdown(
                Path(path).read_text(encoding="utf-8"), readme=name in BILINGUAL
            )
            copy = Path(temporary) / f"{index:02d}-{Path(path).name}"
            copy.write_text(text, encoding="utf-8")
            copies[str(copy.resolve())] = (name, shifts)
        done = subprocess.run(
            [*command, "--config", str(root / CONFIG), "--format", "json", *copies],
            cwd=tool_root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        try:
            results = json.loads(done.stdout)
        except json.JSONDecodeError:
            said = [
                line.strip()
                for line in (done.stderr + done.stdout).splitlines()
                if line.strip() and not line.strip().startswith("at ")
            ]
            first = said[0] if said else "no output"  # node's stack frames left out
            raise TextlintError(f"textlint failed (exit {done.returncode}): {first}") from None
    problems = []
    for result in results:
        name, shifts = copies[result["filePath"]]
        for message in result["messages"]:
            line = message["line"]
            problems.append(
                Problem(
                    name,
                    line,
                    message["column"] + shifts.get(line, 0),
                    message["message"],
                    message.get("ruleId", "?"),
                )
            )
    return sorted(problems, key=lambda p: (p.path, p.line, p.column))


def main(argv: list[str] | None = None) -> int:
    """Check the given files (default: japanese_files())."""
    args = sys.argv[1:] if argv is None else argv
    files = [Path(a).resolve() for a in args] or japanese_files(ROOT)
    try:
        problems = [str(p) for p in lint(files)] + introductions(files)
    except (TextlintError, ValueError, OSError) as error:
        print(f"textlint: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
