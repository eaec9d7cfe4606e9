"""MkDocs hook: write ``llms.txt`` and ``llms-full.txt`` of this language's build.

It keeps each navigation page's Markdown as the page hooks before it left it (the
backends table filled in, the snippet links added; listed before the notebooks hook,
whose link to the page's notebook is site navigation), its title and description, and
after the build hands them to tools.llms, which does the real work. Pages out of the
navigation (the maintainers page) and notebook pages are left out.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools import llms  # noqa: E402

#: Per build (its site_dir): the navigation's pages in order, and what was kept of each.
_nav: dict[str, list[str]] = {}
_pages: dict[str, dict[str, dict]] = {}

#: In each language's llms.txt: where the other language's files are.
OTHER = {
    "ja": "English: [llms.txt](en/llms.txt), [llms-full.txt](en/llms-full.txt)",
    "en": "日本語: [llms.txt](../llms.txt), [llms-full.txt](../llms-full.txt)",
}


def on_nav(nav, config, files):
    """Remember the navigation's pages, in reading order."""
    _nav[config.site_dir] = [page.file.src_uri for page in nav.pages]
    _pages[config.site_dir] = {}
    return nav


def on_page_markdown(markdown, page, config, files):
    """Keep the page's Markdown (after the hooks listed before this one)."""
    _pages[config.site_dir][page.file.src_uri] = {"markdown": markdown}
    return markdown


def on_page_content(html, page, config, files):
    """Keep the page's title, address and description, known once it is rendered."""
    kept = _pages[config.site_dir].get(page.file.src_uri)
    if kept is not None:
        kept["title"] = page.title
        kept["url"] = page.canonical_url or page.url or "./"
        kept["description"] = page.meta.get("description") or config.site_description
    return html


def on_post_build(config):
    """Write both files into the build's site folder."""
    kept = _pages.pop(config.site_dir, {})
    pages = [llms.Page(**kept[src]) for src in _nav.pop(config.site_dir, []) if src in kept]
    texts = {
        "site_name": config.site_name,
        "description": config.site_description,
        "other": OTHER[config.theme["language"]],
        "base": config.site_url or "",
    }
    llms.write(Path(config.site_dir), texts, pages)
