"""How many bytes a page of the built site costs on a first load, gzip-compressed.

Shared by the Lighthouse audit (tools/lighthouse.py, which also serves the files this
way) and the browser tests' weight budget (tests/test_browser.py): a text file counts
with its gzip-compressed size at level 6, as GitHub Pages sends it; anything else
(PNG, ...) with its size on disk. Headers are not counted.
"""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: The target of issue 9 for a pitfall page on a first load (cache empty), in bytes.
BUDGET = 150_000
#: Content types sent gzip-compressed, as GitHub Pages does for text.
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("application/json", ".map")


def resolve(site: Path, path: str) -> Path | None:
    """Return the file a URL path names under ``site`` (folders: index.html), or None."""
    target = (site / unquote(path).lstrip("/")).resolve()
    if not target.is_relative_to(site):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def encode(target: Path, gzip_ok: bool) -> tuple[str, bytes, bool]:
    """Return (content type, body as sent, whether it is gzipped) of a file."""
    body = target.read_bytes()
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if gzip_ok and kind.startswith(COMPRESSED):
        return kind, gzip.compress(body, compresslevel=6, mtime=0), True
    return kind, body, False


def first_load(site: Path, base_url: str, urls: list[str]) -> dict[str, int]:
    """Return {URL path: bytes sent} for the requests of one page load.

    ``urls`` are the URLs the browser requested (any order, repeats allowed), served
    from ``site`` at ``base_url``. Requests elsewhere (``data:`` URLs, other hosts) and
    URLs that name no file under ``site`` are left out; each file counts once.
    """
    site = Path(site).resolve()
    sizes = {}
    for url in urls:
        if not url.startswith(base_url):
            continue
        path = urlsplit(url).path
        target = resolve(site, path)
        if target and path not in sizes:
            sizes[path] = len(encode(target, gzip_ok=True)[1])
    return sizes
