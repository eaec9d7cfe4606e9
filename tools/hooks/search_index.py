r"""MkDocs hook: the site's search index, written by Pagefind (see tools/pagefind.py).

``on_page_content`` marks Python code blocks out of the index (tools/search_index.py).
``on_post_page`` notes each page that belongs in the index. ``on_post_build`` runs
Pagefind on those pages of this build, into ``<site_dir>/pagefind/``, and reduces
Material's own index to its config (the worker reads nothing else from it). Listed
in mkdocs.yml and mkdocs.en.yml, so each language's build indexes its own pages; in
mkdocs.yml it comes before the hook that builds the English site into ``en/``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.exceptions import PluginError  # noqa: E402

from tools.pagefind import PagefindError, index_pages, is_searchable  # noqa: E402
from tools.search_index import exclude_python_code, slim_search_index  # noqa: E402

#: The output files of this build's searchable pages, relative to its site_dir.
searchable: set[str] = set()


def on_pre_build(config):
    """Start each build (mkdocs serve rebuilds) with no page noted."""
    searchable.clear()


def on_page_content(html, page, config, files):
    """Leave the page's Python code blocks out of the search index."""
    return exclude_python_code(html)


def on_post_page(output, page, config):
    """Note the page's output file if it belongs in the search index."""
    if is_searchable(page):
        searchable.add(page.file.dest_uri)
    return output


def on_post_build(config):
    """Index this build's pages with Pagefind; keep only the config of Material's index."""
    try:
        index_pages(Path(config.site_dir), sorted(searchable))
    except PagefindError as error:
        raise PluginError(str(error)) from None
    slim_search_index(Path(config.site_dir))
