r"""Write Material's search index with Japanese characters as UTF-8, not ``\uXXXX``.

Material's search plugin (9.x) writes ``search/search_index.json`` with Python's
``json.dumps`` defaults, so every non-ASCII character becomes a six-byte ``\uXXXX``
escape (three bytes in UTF-8), and the plugin has no option to change that. Every page
loads the index on a first visit: in Japanese it weighed 45 kB gzip-compressed, 40 kB
once rewritten. The rewrite keeps the data as it is; only its spelling changes, and any
JSON parser (the browser's ``fetch().json()`` included, which always reads UTF-8) reads
the same index.
"""

from __future__ import annotations

import json
from pathlib import Path

#: Where Material writes the index, relative to the site folder.
INDEX = Path("search") / "search_index.json"


def rewrite_search_index(site_dir: Path) -> bool:
    """Rewrite ``site_dir``'s search index in UTF-8; return whether there was one."""
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return True
