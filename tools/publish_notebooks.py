"""Write every page's notebook where the Open in Colab links expect it.

``python -m tools.publish_notebooks DEST`` writes ``DEST/<lang>/<topic>.ipynb`` for every
page with snippets, in both languages: the same bytes as the notebooks the site build
generates (tools.notebooks), laid out as tools.site_links.published_notebook says. The
Pages workflow (.github/workflows/site.yml, job ``notebooks``) runs it after the site is
deployed and pushes DEST as the only commit of the branch ``notebooks``
(tools.site_links.NOTEBOOK_BRANCH), which Colab opens the notebooks from.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.notebooks import _notebook_text, pages_with_snippets
from tools.site_links import published_notebook
from tools.snippets import ROOT, SnippetError


def publish(dest: Path, root: Path = ROOT) -> list[Path]:
    """Write each page's notebook under ``dest``; return the files written.

    Raises:
        SnippetError: a page includes a missing or unreadable snippet.
    """
    texts = {
        Path(dest) / published_notebook(lang, page.stem): _notebook_text(page, root)
        for lang, pages in pages_with_snippets(root).items()
        for page in pages
    }
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(texts)


def main(argv=None) -> int:
    """Command line: ``DEST`` (a folder, created if missing). Exit 0, or 2 with one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="folder to write <lang>/<topic>.ipynb into")
    args = parser.parse_args(argv)
    if args.dest.exists() and not args.dest.is_dir():
        print(f"publish_notebooks: {args.dest} is not a folder", file=sys.stderr)
        return 2
    try:
        written = publish(args.dest)
    except (SnippetError, OSError) as error:
        print(f"publish_notebooks: {error}", file=sys.stderr)
        return 2
    print(f"{len(written)} notebooks written under {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
