"""MkDocs hook: the Keras history on the pages, from the committed history files.

Adds, under each snippet include whose output differs on some release of the history, a
collapsed note with what the other releases printed, and fills in the versions page
(``<!-- keras-history -->``); see tools/history_pages.py. A history file that cannot be
read stops the build with one line.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.checks import nav_files  # noqa: E402
from tools.history_pages import add_notes, fill  # noqa: E402
from tools.snippets import SnippetError  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    """Add the history notes, and the versions page's tables where it asks for them."""
    lang = Path(config.docs_dir).name  # docs/<lang>
    try:
        markdown = fill(markdown, lang, nav_files(config.nav or []), ROOT)
        return add_notes(markdown, lang, ROOT)
    except SnippetError as error:
        raise PluginError(f"{page.file.src_uri}: Keras history: {error}") from None
