"""MkDocs hook: the comparison of the Keras backends, from the verified outputs.

Replaces the line ``<!-- backends-table -->`` of a page with the tables of
tools/backend_table.py, in the page's language. An output that cannot be read stops the
build with one line.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.backend_table import fill  # noqa: E402
from tools.snippets import SnippetError  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    """Fill in the comparison tables where the page asks for them."""
    try:
        return fill(markdown, Path(config.docs_dir).name)  # docs/<lang>
    except SnippetError as error:
        raise PluginError(f"{page.file.src_uri}: comparison of backends: {error}") from None
