"""MkDocs hook: check each page's snippet includes, and link each snippet to its file.

pymdownx.snippets (check_paths: true) raises SnippetMissingError from deep inside
Markdown rendering, and MkDocs shows it as a traceback. This hook checks the page's
``--8<--`` lines first and stops the build with ``page:line: includes missing file``.

When the repository is known (``repo_url``, from the publishing workflow's environment),
each include is followed by a small link to the included file on GitHub
(tools.site_links.source_url), so a reader who wants to run one snippet alone finds its file.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.site_links import source_url  # noqa: E402
from tools.snippets import INCLUDE  # noqa: E402


def source_link(line: str, url: str, target: str) -> list[str]:
    """Return the Markdown lines of the link under an include ``line``, at its indent.

    A paragraph of its own (class ``snippet-source``, styled small in extra.css) that
    Material's search leaves out of its index (``data-search-exclude``).
    """
    indent = line[: len(line) - len(line.lstrip())]
    return ["", f"{indent}[{target}]({url})", f"{indent}{{ .snippet-source data-search-exclude }}"]


def on_page_markdown(markdown, page, config, files):
    """Raise PluginError naming the page and line of the first missing include.

    Otherwise return the page with a source link after each include when ``repo_url``
    is set, or unchanged.
    """
    lines = []
    for number, line in enumerate(markdown.splitlines(), 1):
        lines.append(line)
        match = INCLUDE.match(line)
        if not match:
            continue
        target = match.group("target")
        if not (ROOT / target).is_file():
            raise PluginError(
                f"{config.docs_dir}/{page.file.src_uri} (line {number} of the page "
                f"body): includes missing file {target}"
            )
        url = source_url(config.repo_url, config.edit_uri, target)
        if url:
            lines += source_link(line, url, target)
    return "\n".join(lines) + "\n" if config.repo_url else markdown
