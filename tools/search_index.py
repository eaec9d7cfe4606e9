r"""What the search indexes leave out, and Material's index reduced to its config.

The site's search is Pagefind's (tools/pagefind.py); Material's search dialog stays and
is answered by the worker ``overrides/assets/javascripts/pagefind-worker.js``.

**Python source blocks are left out.** :func:`exclude_python_code` marks every Python
code block of a page with ``data-search-exclude``, which Material's search plugin (9.x,
``material/plugins/search/plugin.py``) honours on any element and Pagefind is told to
leave out too (tools/pagefind.py); pymdownx.highlight names the language in the block's
class (``pygments_lang_class: true`` in mkdocs.yml). Output blocks (``text``), with the
errors and values readers paste into the search box, stay, as does inline code in the
prose, where every API the pages discuss is named.

**Material's index keeps only its config.** Material's script fetches
``search/search_index.json`` on every page and hands it to the search worker; ours
reads only the config from it and asks Pagefind, which loads its own index when the
reader searches. :func:`slim_search_index` drops the documents (37 kB gzip-compressed
in Japanese, 32 kB in English, on every first load) and writes it in UTF-8.
"""

from __future__ import annotations

import json
from pathlib import Path

#: Where Material writes the index, relative to the site folder.
INDEX = Path("search") / "search_index.json"
#: How pymdownx.highlight (pygments_lang_class: true) opens a Python code block.
PYTHON_BLOCK = '<div class="language-python highlight">'


def exclude_python_code(html: str) -> str:
    """Return a page's HTML with every Python code block marked out of the search.

    ``html`` is the page body as rendered by Markdown; nothing else changes.
    """
    return html.replace(PYTHON_BLOCK, PYTHON_BLOCK[:-1] + " data-search-exclude>")


def slim_search_index(site_dir: Path) -> bool:
    """Rewrite ``site_dir``'s Material index with its config and no documents, in UTF-8.

    Returns whether there was an index to rewrite.
    """
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    slim = {"config": data["config"], "docs": []}
    text = json.dumps(slim, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return True
