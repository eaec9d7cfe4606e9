"""``llms.txt`` and ``llms-full.txt`` of one language, made from the site's own pages.

``llms.txt`` is the index of the pages (title, address, description) in the format of
https://llmstxt.org/; ``llms-full.txt`` holds every page's text as Markdown: its prose,
and each included snippet's code and verified output exactly as the snippet file has
them (the same bytes the tests compare), without the site's navigation. Content tabs
become a bold label followed by the tab's content, as in the notebooks; figures are left
out (their data is an output block on the page). tools/hooks/llms.py writes both files
at build time into each language's site folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools.notebooks import _FIGURE, _flatten_tabs
from tools.snippets import INCLUDE, ROOT

#: HTML comments: the include markers of snippets and the backend output files' headers.
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*?\n", re.DOTALL | re.MULTILINE)
#: A line holding only an attribute list (``{ .snippet-source data-search-exclude }``).
_ATTR_LINE = re.compile(r"^\s*\{:?\s*[.#][^}]*\}\s*$\n?", re.MULTILINE)
#: A link to another page's Markdown file (``](read-ahead.md#x)``), as in tools/notebooks.py.
_PAGE_LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)\.md(#[^)\s]*)?\)")
#: An explicit heading id at the end of a heading (``## Title { #title }``).
_HEADING_ID = re.compile(r"^(#+ .*?)\s*\{:?\s*#[^}]*\}\s*$", re.MULTILINE)


@dataclass
class Page:
    """One page of one language, as the index and the full text show it."""

    title: str
    url: str  # absolute with site_url, else relative to the language's root
    description: str
    markdown: str  # the page's Markdown as MkDocs rendered it (after the hooks)


def expand_includes(markdown: str, root: Path = ROOT) -> str:
    """Return ``markdown`` with each ``--8<--`` line replaced by the file it includes.

    Raises:
        FileNotFoundError: an included file is missing (the build checks this first).
    """
    lines = []
    for line in markdown.splitlines():
        match = INCLUDE.match(line)
        if match:
            text = (Path(root) / match.group("target")).read_text(encoding="utf-8")
            lines += ["", *text.rstrip("\n").splitlines(), ""]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def page_url(name: str, base: str = "") -> str:
    """Return the address of page ``name`` (``read-ahead``, ``index``) under ``base``."""
    return base + ("" if name == "index" else name + "/") or "./"


def page_text(markdown: str, root: Path = ROOT, base: str = "") -> str:
    """Return a page's text for ``llms-full.txt``: prose, code, outputs, no site markup.

    Args:
        markdown: the page's Markdown without front matter (tabs indented by 4 spaces,
            includes as ``--8<-- "snippets/..."`` lines).
        root: the folder include paths are relative to.
        base: the language's address (``site_url``), which links to other pages are
            put under; empty: they stay relative to the language's root.
    """
    text = expand_includes(_flatten_tabs(_FIGURE.sub("", markdown)), root)
    text = _ATTR_LINE.sub("", _COMMENT.sub("", text))
    text = _HEADING_ID.sub(r"\1", text)
    text = _PAGE_LINK.sub(lambda m: f"]({page_url(m.group(1), base)}{m.group(2) or ''})", text)
    # Blank lines are left as they are: inside code they are the snippet's own.
    return text.strip("\n") + "\n"


def llms_index(site_name: str, description: str, pages: list[Page], other: str = "") -> str:
    """Return ``llms.txt``: the site's name, description and one line per page.

    ``other`` is a line pointing at the other languages' files (may be empty).
    """
    lines = [f"# {site_name}", "", f"> {description}", ""]
    if other:
        lines += [other, ""]
    lines += ["## Pages", ""]
    lines += [f"- [{page.title}]({page.url}): {page.description}" for page in pages]
    return "\n".join(lines) + "\n"


def llms_full(
    site_name: str, description: str, pages: list[Page], root: Path = ROOT, base: str = ""
) -> str:
    """Return ``llms-full.txt``: every page's full text, in navigation order."""
    parts = [f"# {site_name}\n\n> {description}\n"]
    for page in pages:
        parts.append(f"URL: {page.url}\n\n{page_text(page.markdown, root, base)}")
    return "\n---\n\n".join(parts)


def write(site_dir: Path, config_texts: dict, pages: list[Page]) -> None:
    """Write ``llms.txt`` and ``llms-full.txt`` into ``site_dir``.

    Args:
        site_dir: the language's site folder.
        config_texts: ``site_name``, ``description``, ``other`` (see llms_index) and
            ``base`` (see page_text).
        pages: the pages in navigation order.
    """
    texts = config_texts
    index = llms_index(texts["site_name"], texts["description"], pages, texts["other"])
    full = llms_full(texts["site_name"], texts["description"], pages, ROOT, texts["base"])
    (Path(site_dir) / "llms.txt").write_text(index, encoding="utf-8")
    (Path(site_dir) / "llms-full.txt").write_text(full, encoding="utf-8")
