"""MkDocs hook: fail with one clear line when a page includes a missing snippet.

pymdownx.snippets (check_paths: true) raises SnippetMissingError from deep inside
Markdown rendering, and MkDocs shows it as a traceback. This hook checks the page's
``--8<--`` lines first and stops the build with ``page:line: includes missing file``.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.snippets import INCLUDE  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    """Raise PluginError naming the page and line of the first missing include."""
    for number, line in enumerate(markdown.splitlines(), 1):
        match = INCLUDE.match(line)
        if match and not (ROOT / match.group("target")).is_file():
            raise PluginError(
                f"{config.docs_dir}/{page.file.src_uri} (line {number} of the page "
                f"body): includes missing file {match.group('target')}"
            )
    return markdown
