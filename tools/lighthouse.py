"""Lighthouse audit of the built site, served gzip-compressed on 127.0.0.1.

Usage (after ``mkdocs build --strict``; Lighthouse is not a dependency of the site,
install it anywhere with ``npm install lighthouse``)::

    python -m tools.lighthouse --lighthouse /path/to/node_modules/.bin/lighthouse

It serves ``site/`` from a thread with gzip compression for text files (as GitHub
Pages does), runs the Lighthouse CLI once per page, one page at a time, with its
default settings (mobile, simulated throttling) in the system Chromium, and prints a
Markdown table: the four category scores and the bytes transferred on a first load
(Lighthouse's total-byte-weight: every request, compressed bodies plus headers, cache
disabled). The JSON reports are kept in ``--reports`` (default .cache/lighthouse/).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from tools.chromium import CHROMIUM_ARGS
from tools.page_weight import COMPRESSED, encode, first_load, resolve

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
#: The audited pages, as URL paths under the site root, in each language: home, a
#: pitfall page and its notebook page, and the heaviest pitfall page (maintainers.md).
PAGES = [
    "",
    "reusing-generators/",
    "parallel-loading/",
    "notebooks/reusing-generators/",
    "en/",
    "en/reusing-generators/",
    "en/parallel-loading/",
    "en/notebooks/reusing-generators/",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
#: Chromium's flags as for the browser tests, headless.
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]


class GzipHandler(BaseHTTPRequestHandler):
    """Serve files from ``site`` (set by :func:`serve`), gzip-compressing text."""

    site: Path

    def do_GET(self):  # noqa: N802 (BaseHTTPRequestHandler's naming)
        """Send the file, ``index.html`` of a folder, or the site's 404 page."""
        path = urlsplit(self.path).path
        target = resolve(self.site, path)
        if target and target.name == "index.html" and not path.endswith(("/", ".html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK if target else HTTPStatus.NOT_FOUND
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        kind, body, gzipped = encode(target or self.site / "404.html", gzip_ok)
        self.send_response(status)
        text = kind.startswith(COMPRESSED) and kind != "image/svg+xml"
        self.send_header("Content-Type", kind + ("; charset=utf-8" if text else ""))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """One line per request is noise here."""


def serve(site: Path) -> ThreadingHTTPServer:
    """Start serving ``site`` on 127.0.0.1 (ephemeral port) from a daemon thread."""
    handler = type("Handler", (GzipHandler,), {"site": site.resolve()})
    server = ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def audit(lighthouse: str, chrome: str, url: str, report: Path, dark: bool = False) -> dict:
    """Run Lighthouse on ``url``, write its JSON report to ``report`` and return it."""
    flags = CHROME_FLAGS + ["--force-dark-mode"] * dark  # prefers-color-scheme: dark
    subprocess.run(
        [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(flags)}",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def summary(result: dict, site: Path, base: str) -> dict:
    """Scores (0-100), page weights and failed audits of one Lighthouse report.

    Two weights, in kB (1000 bytes): ``gzip_kB`` adds up the gzip-compressed body of
    every file the page requested, as this server sends it (headers not counted);
    ``lighthouse_kB`` is Lighthouse's total-byte-weight (bodies and headers of the
    requests it recorded; it misses most of the search worker's script).
    """
    audits = result["audits"]
    failed = sorted(
        f"{name} ({ref['id']})"
        for name, category in result["categories"].items()
        for ref in category["auditRefs"]
        if ref["weight"]
        and (audits[ref["id"]]["score"] or 0) < (0.9 if ref.get("group") == "metrics" else 1)
    )
    urls = [item["url"] for item in audits["network-requests"]["details"]["items"]]
    return {
        "scores": [round(100 * result["categories"][c]["score"]) for c in CATEGORIES],
        "gzip_kB": sum(first_load(site, base, urls).values()) / 1000,
        "lighthouse_kB": audits["total-byte-weight"]["numericValue"] / 1000,
        "requests": len(urls),
        "failed": failed,
        "lighthouse": result["lighthouseVersion"],
    }


def main(argv: list[str] | None = None) -> int:
    """Audit every page of PAGES in turn and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument(
        "--lighthouse",
        default=os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse") or "lighthouse",
        help="the Lighthouse CLI (default: $LIGHTHOUSE, else lighthouse on PATH)",
    )
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--reports", type=Path, default=ROOT / ".cache" / "lighthouse")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per page; the median performance run counts"
    )
    parser.add_argument(
        "--dark", action="store_true", help="audit the dark scheme (the default is light)"
    )
    parser.add_argument("pages", nargs="*", default=PAGES, help="URL paths (default: all)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        parser.error(f"{site}/index.html missing: run mkdocs build --strict first")
    args.reports.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = f"http://{HOST}:{server.server_port}/"
    rows = []
    try:
        for page in args.pages:
            name = page.strip("/").replace("/", "_") or "home"
            runs = []
            for run in range(1, args.runs + 1):
                report = args.reports / f"{name}{'-dark' * args.dark}-{run}.json"
                runs.append(
                    summary(
                        audit(args.lighthouse, args.chrome, base + page, report, args.dark),
                        site,
                        base,
                    )
                )
                print(f"/{page} run {run}: {runs[-1]['scores']}", file=sys.stderr)
            runs.sort(key=lambda result: result["scores"][0])
            rows.append((page, runs[len(runs) // 2]))
    finally:
        server.shutdown()
        server.server_close()
    print(
        "| page | performance | accessibility | best practices | SEO "
        "| gzip kB | Lighthouse kB | requests |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for page, result in rows:
        scores = " | ".join(str(s) for s in result["scores"])
        print(
            f"| `/{page}` | {scores} | {result['gzip_kB']:.0f} "
            f"| {result['lighthouse_kB']:.0f} | {result['requests']} |"
        )
    print()
    chromium = subprocess.run([args.chrome, "--version"], capture_output=True, text=True)
    print(f"Lighthouse {rows[0][1]['lighthouse']}; {chromium.stdout.strip()}")
    for page, result in rows:
        if result["failed"]:
            print(f"/{page} falls short on: {', '.join(result['failed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
