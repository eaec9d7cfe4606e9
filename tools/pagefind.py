"""The site's search index, written by Pagefind's extended build (npm package ``pagefind``).

Material's own search (lunr, TinySegmenter) cut Japanese words apart when indexing
and not when searching, so that 先読み, 使い回す or 失われる, words of page titles,
found nothing (issue 16). Pagefind's extended build segments Japanese with ICU4X when
indexing, and its script segments the query with the browser's ``Intl.Segmenter``, so
both sides cut a word the same way. Material's search dialog stays: the worker
``overrides/assets/javascripts/pagefind-worker.js`` answers it from Pagefind.

Each language's build indexes its own pages into ``<site_dir>/pagefind/``
(tools/hooks/search_index.py): the reader pages only (not the notebook pages, nor a
page with ``search: exclude`` in its front matter), each page's article only (not the
navigation), without what Material's search would leave out (``data-search-exclude``:
Python code blocks, see tools/search_index.py), headings' permalink signs and the
version stamp.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tools.snippets import ROOT

#: npm's wrapper of the binary shipped in the package (``npm ci`` installs it; the
#: extended build is the one it runs when the platform's package ships it).
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"
#: The part of a Material page that is indexed: the article, without the navigation.
ARTICLE = "article.md-content__inner"
#: What is left out of the article: whatever Material's search leaves out
#: (``data-search-exclude``: Python code blocks, see tools/search_index.py, and the
#: links to each snippet's source), the permalink sign after each heading, and the
#: versions stamped under every page (overrides/main.html), which would make every page
#: an answer to "TensorFlow" or "Keras".
LEFT_OUT = ("[data-search-exclude]", ".headerlink", ".verified-with")
#: Where the bundle goes, relative to the build's site_dir (the worker's address for it).
BUNDLE = "pagefind"


class PagefindError(Exception):
    """Pagefind is missing or failed; the message is one line."""


def is_searchable(page) -> bool:
    """True for a MkDocs page that belongs in the search index.

    ``page`` is a ``mkdocs.structure.pages.Page``: notebook pages and pages with
    ``search: exclude: true`` (Material's front matter, e.g. maintainers.md) are not.
    """
    if page.file.src_uri.endswith(".ipynb"):
        return False
    search = page.meta.get("search") or {}
    return not (isinstance(search, dict) and search.get("exclude"))


def index_pages(site_dir: Path, pages: list[str], binary: Path | None = None) -> str:
    """Index ``pages`` (HTML files relative to ``site_dir``) into ``site_dir/pagefind/``.

    Only the given files are read, so another build inside ``site_dir`` (the English
    site in ``en/``) is never indexed with this one. Returns Pagefind's summary line
    ("Indexed N pages"). ``binary`` defaults to :data:`PAGEFIND`. Raises PagefindError
    (one line) when the binary is missing, no page is given, or Pagefind fails.
    """
    binary = Path(binary or PAGEFIND)
    if not binary.is_file():
        raise PagefindError(
            f"Pagefind is not installed ({binary} is missing): run `npm ci` (make does)"
        )
    if not pages:
        raise PagefindError(f"no page to index in {site_dir}")
    command = [str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE]
    command += ["--glob", "{" + ",".join(sorted(pages)) + "}"]
    command += ["--root-selector", ARTICLE]
    for selector in LEFT_OUT:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    indexed = [
        line.strip() for line in output.splitlines() if "Indexed" in line and "pages" in line
    ]
    if done.returncode != 0 or not indexed:
        last = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
        raise PagefindError(f"Pagefind failed (exit {done.returncode}): {last[0].strip()}")
    return indexed[0]
