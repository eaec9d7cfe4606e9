"""MkDocs hook: drop the syntax-highlighting spans that change nothing on screen.

After a page's Markdown is rendered, tools.code_spans removes the ``<span>``s of plain
names and whitespace from its code blocks (no style of Material's applies to them) and
joins same-class spans that only whitespace separates: about a quarter fewer elements
on the pitfall pages, with the same text and colours. Notebook pages keep theirs:
mkdocs-jupyter's code is not in pymdownx's ``<div class="highlight">``, and its
JupyterLab stylesheet does colour plain names.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.code_spans import unwrap_plain_spans  # noqa: E402


def on_page_content(html, page, config, files):
    """Return the page's HTML with the invisible highlighting spans removed."""
    return unwrap_plain_spans(html)
