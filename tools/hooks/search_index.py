r"""MkDocs hook: a slimmer search index (see tools/search_index.py).

``on_page_content`` marks Python code blocks ``data-search-exclude`` before Material's
search plugin reads the page (its ``on_page_context``). Hooks run after the plugins,
so by this build's ``on_post_build`` the plugin has written ``search/search_index.json``
and it is rewritten in UTF-8. Listed in mkdocs.yml and mkdocs.en.yml, so each
language's build slims its own index.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.search_index import exclude_python_code, rewrite_search_index  # noqa: E402


def on_page_content(html, page, config, files):
    """Leave the page's Python code blocks out of the search index."""
    return exclude_python_code(html)


def on_post_build(config):
    """Rewrite this build's search index, if the search plugin wrote one."""
    rewrite_search_index(Path(config.site_dir))
