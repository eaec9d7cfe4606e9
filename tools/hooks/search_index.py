r"""MkDocs hook: write the search index with UTF-8 characters, not ``\uXXXX`` escapes.

Hooks run after the plugins, so by this build's ``on_post_build`` Material's search
plugin has written ``search/search_index.json``; tools.search_index rewrites it
(45 kB gzip-compressed in Japanese before, 40 kB after). Listed in mkdocs.yml and
mkdocs.en.yml, so each language's build rewrites its own index.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.search_index import rewrite_search_index  # noqa: E402


def on_post_build(config):
    """Rewrite this build's search index, if the search plugin wrote one."""
    rewrite_search_index(Path(config.site_dir))
