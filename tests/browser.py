"""Build, serve and scan the site for tests/test_browser.py.

The browser tests drive the system Chromium (Debian's ``chromium`` package) through
Playwright against the built site served on 127.0.0.1. Playwright's own browser
download is not used: ``CHROMIUM`` below names the executable, ``BROWSER_PATH``
overrides it.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import mkdocs_jupyter

from tools.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - re-exported for the tests
from tools.notebooks import NOTEBOOK_DIR, notebook_for_page, pages_with_snippets
from tools.site_links import PREFIX  # noqa: F401 - where each language is served, re-exported
from tools.snippets import ROOT, page_files, page_includes, parse_snippet

#: The stylesheet mkdocs-jupyter inlines into notebook pages, before tools/notebook_css.py
#: prunes it.
JUPYTERLAB_CSS = (
    Path(mkdocs_jupyter.__file__).parent / "templates" / "mkdocs_html" / "assets" / "index.css"
)
HOST = "127.0.0.1"


def chromium_missing() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    if os.access(CHROMIUM, os.X_OK):
        return None
    return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BROWSER_PATH)"


#: What the Pages workflow sets for its build (.github/workflows/site.yml, mkdocs.yml):
#: the site's address, its repository, the date its tests passed. A test build leaves
#: them out unless given (the published_site fixture), so it is a local build.
PUBLISHING_ENV = ("SITE_URL", "SITE_REPO_URL", "SITE_VERIFIED_ON")


def build_site(site: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build both languages into ``site`` with ``mkdocs build --strict``.

    ``env``: variables to set for the build (PUBLISHING_ENV ones are unset otherwise).
    """
    base = {k: v for k, v in os.environ.items() if k not in PUBLISHING_ENV}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**base, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Keep the test output free of one line per request."""

    def send_error(self, code, message=None, explain=None):
        """Answer a missing path with the nearest ``404.html`` above it, status 404.

        As static hosts do with a site's 404 page (GitHub Pages: only the root one;
        others, such as Cloudflare Pages, the nearest): ``/en/a/b/`` gets
        ``en/404.html``, ``/a/b/`` the root ``404.html``.
        """
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        for depth in range(len(parts), -1, -1):
            candidate = Path(self.directory, *parts[:depth], "404.html")
            if candidate.is_file():
                return candidate
        return None


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """Ignore a browser that hangs up mid-response (a cancelled download, a page left
        before its last request finished); report any other error as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (ephemeral port) from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def page_url(page: str) -> str:
    """Return the URL path of a page file under docs/<lang>/: ``a/b.md`` -> ``a/b/``."""
    name = page.removesuffix(".md")
    if name == "index" or name.endswith("/index"):
        return name.removesuffix("index")
    return name + "/"


def site_pages(root: Path = ROOT) -> list[tuple[str, str]]:
    """Return (language, URL path) of every page, e.g. ("en", "test-bench/").

    Notebook pages ("notebooks/<topic>/", generated for each page with snippets)
    are included.
    """
    pages = [
        (lang, page_url(page.relative_to(root / "docs" / lang).as_posix()))
        for lang, files in page_files(root).items()
        for page in files
    ]
    pages += [
        (lang, f"{NOTEBOOK_DIR}/{page.stem}/")
        for lang, files in pages_with_snippets(root).items()
        for page in files
    ]
    return sorted(pages)


def is_notebook(url: str) -> bool:
    """True for the URL path of a generated notebook page."""
    return url.startswith(NOTEBOOK_DIR + "/")


def executed_code(lang: str, url: str, root: Path = ROOT) -> list[str]:
    """Return the body of every executed code block the page includes, in order.

    Notebook pages have none here: their code is rendered by Jupyter, not Material.
    """
    if is_notebook(url):
        return []
    docs = root / "docs" / lang
    (source,) = [
        p for p in page_files(root)[lang] if page_url(p.relative_to(docs).as_posix()) == url
    ]
    return [
        block.code.body
        for _, target in page_includes(source)
        for block in parse_snippet(root / target)
        if block.code.executed
    ]


# --- Third-party references in the built files -------------------------------------

#: (tag, attribute) pairs that make the browser load something.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}
#: <link rel=...> values that load or connect to their href (not alternate/canonical).
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
}
_CSS_URL = re.compile(r"""url\(\s*['"]?\s*([^'")\s]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+['"]\s*([^'"\s]+)""", re.IGNORECASE)  # url() form: above


def is_third_party(url: str) -> bool:
    """True for a URL on another host: ``http(s)://...`` or protocol-relative ``//...``."""
    return bool(re.match(r"\s*(https?:)?//", url, re.IGNORECASE))


def css_references(css: str) -> list[str]:
    """Return what ``url(...)`` and ``@import`` in ``css`` point at."""
    return _CSS_URL.findall(css) + _CSS_IMPORT.findall(css)


class _Loads(HTMLParser):
    """Collect the URLs an HTML page makes the browser load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str, str]] = []  # (line, what, url)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in LOADED:
                for url in value.split(",") if name == "srcset" else [value]:
                    self.urls.append((line, f"<{tag} {name}>", url.strip().split(" ")[0]))
            if name == "style":
                for url in css_references(value):
                    self.urls.append((line, f"<{tag} style>", url))
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & LOADING_RELS:
            self.urls.append((line, f"<link rel={values['rel']}>", values.get("href", "")))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            for url in css_references(data):
                self.urls.append((self.getpos()[0], "<style>", url))


def third_party_references(site: Path) -> list[str]:
    """List every third-party resource the built HTML and CSS files would load.

    Returns:
        ``path:line: <what> url`` strings; links (``<a href>``) are not resources
        and are never listed.
    """
    site = Path(site)
    found = []
    for path in sorted(site.rglob("*.html")):
        parser = _Loads()
        parser.feed(path.read_text(encoding="utf-8"))
        for line, what, url in parser.urls:
            if is_third_party(url):
                found.append(f"{path.relative_to(site)}:{line}: {what} {url}")
    for path in sorted(site.rglob("*.css")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for url in css_references(text):
                if is_third_party(url):
                    found.append(f"{path.relative_to(site)}:{number}: css {url}")
    return found


def is_local(url: str) -> bool:
    """True for a request the browser may make: to 127.0.0.1, or data:/blob: URLs."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == HOST


def notebook_outputs(lang: str, url: str, root: Path = ROOT) -> list[str]:
    """Return the stdout text of every code cell of the notebook page at ``url``."""
    topic = url.removeprefix(NOTEBOOK_DIR + "/").strip("/")
    notebook = notebook_for_page(root / "docs" / lang / f"{topic}.md", root)
    return [
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    ]
