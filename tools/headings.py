"""Headings of the pages and their explicit section ids.

Every heading of every page carries an explicit id in attr_list syntax,
``## 先読み { #read-ahead }``, the same id on the Japanese and the English page, so that
a link to a section, and the language switcher, land on the same section in both
languages (Python-Markdown's own slugs drop Japanese characters: ``#_1``, ``#_2``).
This module reads those ids from a page's Markdown source (tools/checks.py holds every
page to them) and strips them where the syntax would show as text (notebooks). Links to
sections are checked by MkDocs itself (``validation: anchors: warn`` in mkdocs.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: An ATX heading line (``#`` to ``######``); indented, it is a heading inside a content
#: tab or an admonition (pages hold no code of their own: it lives in snippets/).
_HEADING = re.compile(r"^\s*(?P<hashes>#{1,6})[ \t]+(?P<rest>.*?)[ \t#]*$")
#: A trailing attr_list block of a heading: ``{ #id }`` or ``{: #id .class }``.
_ATTR_LIST = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
_ID_ATTR = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")
#: What an id must look like: an English slug (lowercase words joined by hyphens).
ID_STYLE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = re.compile(r"^\s*(?P<ticks>`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    """One heading of a page.

    Attributes:
        line: its line number in the page (1-based).
        level: 1 for ``#``, 2 for ``##``, and so on.
        text: its text without the hashes and without the attr_list block.
        id: its explicit id, or None when it has none.
    """

    line: int
    level: int
    text: str
    id: str | None


def _split_attrs(rest: str) -> tuple[str, str | None]:
    """Split a heading's text from its trailing attr_list block; return (text, id or None)."""
    match = _ATTR_LIST.search(rest)
    if not match:
        return rest.strip(), None
    found = _ID_ATTR.search(match.group("attrs"))
    return rest[: match.start()].strip(), found.group("id") if found else None


def _outside_fences(lines: list[str]):
    """Yield (line number, line) of the lines that are not inside a code fence."""
    fence = None
    for number, line in enumerate(lines, 1):
        opened = _FENCE.match(line)
        if fence is not None:
            ticks = opened.group("ticks") if opened else ""
            if ticks[:1] == fence[0] and len(ticks) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group("ticks")
        else:
            yield number, line


def headings(markdown: str) -> list[Heading]:
    """Return the ATX headings of a page's Markdown, outside code fences, in order.

    Args:
        markdown: the page's source text.

    Returns:
        One Heading per heading line. Setext headings (underlined with ``===``) are not
        used on this site and are not found.
    """
    found = []
    for number, line in _outside_fences(markdown.split("\n")):
        match = _HEADING.match(line)
        if match:
            text, heading_id = _split_attrs(match.group("rest"))
            found.append(Heading(number, len(match.group("hashes")), text, heading_id))
    return found


def page_headings(page: Path) -> list[Heading]:
    """Return the headings of the page file ``page`` (see :func:`headings`)."""
    return headings(Path(page).read_text(encoding="utf-8"))


def strip_heading_ids(markdown: str) -> str:
    """Remove the trailing attr_list block (``{ #id }``) of every heading line.

    For Markdown read by something without attr_list (Jupyter, jupytext), where the
    block would show as text. Lines inside code fences are left alone.
    """
    lines = markdown.split("\n")
    for number, line in _outside_fences(lines):
        if _HEADING.match(line):
            lines[number - 1] = _ATTR_LIST.sub("", line)
    return "\n".join(lines)
