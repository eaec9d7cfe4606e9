r"""Slim Material's search index: no Python source blocks, UTF-8 instead of ``\uXXXX``.

Every page loads the index on a first visit, so its size counts against every page's
weight (tests/test_browser.py holds each page to tools.page_weight.BUDGET).

**Python source blocks are left out.** :func:`exclude_python_code` marks every Python
code block of a page with ``data-search-exclude``, which Material's search plugin
(9.x, ``material/plugins/search/plugin.py``) honours on any element; pymdownx.highlight
names the language in the block's class (``pygments_lang_class: true`` in mkdocs.yml).
Output blocks (``text``), with the errors and values readers paste into the search box,
stay, as does inline code in the prose, where every API the pages discuss is named. The
Python blocks were a quarter of the index: 48 kB gzip-compressed in Japanese with them,
37 kB without.

**UTF-8.** Material's search plugin writes ``search/search_index.json`` with Python's
``json.dumps`` defaults, so every non-ASCII character becomes a six-byte ``\uXXXX``
escape (three bytes in UTF-8), and the plugin has no option to change that. In
Japanese the index weighed 45 kB gzip-compressed, 40 kB once rewritten (before the
Python blocks were left out). The rewrite keeps the data as it is; only its spelling
changes, and any JSON parser (the browser's ``fetch().json()`` included, which always
reads UTF-8) reads the same index.
"""

from __future__ import annotations

import json
from pathlib import Path

#: Where Material writes the index, relative to the site folder.
INDEX = Path("search") / "search_index.json"
#: How pymdownx.highlight (pygments_lang_class: true) opens a Python code block.
PYTHON_BLOCK = '<div class="language-python highlight">'


def exclude_python_code(html: str) -> str:
    """Return a page's HTML with ``data-search-exclude`` on every Python code block.

    ``html`` is the page body as rendered by Markdown; nothing else changes.
    """
    return html.replace(PYTHON_BLOCK, PYTHON_BLOCK[:-1] + " data-search-exclude>")


def rewrite_search_index(site_dir: Path) -> bool:
    """Rewrite ``site_dir``'s search index in UTF-8; return whether there was one."""
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return True
