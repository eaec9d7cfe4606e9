"""MkDocs hook: generate each page's notebook and link the page to it.

Before the files of a language are collected, tools.notebooks writes
``docs/<lang>/notebooks/<topic>.ipynb`` for every page with snippets (only when its
content changed, so ``mkdocs serve`` does not loop); mkdocs-jupyter then renders
them as pages, without executing them: their outputs are the snippets' verified
output blocks, and tests/test_notebooks.py executes them to prove they match.
After a notebook page is rendered, tools.notebook_css drops the rules of the inlined
JupyterLab stylesheet that cannot match it (575 kB of CSS, most of it for JupyterLab's
own interface).
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.notebook_css import prune_notebook_page  # noqa: E402
from tools.notebooks import NOTEBOOK_DIR, notebook_path, write_notebooks  # noqa: E402
from tools.snippets import SnippetError, has_includes  # noqa: E402

LINK_TEXT = {
    "ja": "このページのコードは Jupyter ノートブックとしても実行できます: [ノートブック版]({href})",
    "en": "The code on this page also runs as a Jupyter notebook: [notebook version]({href})",
}


def on_pre_build(config):
    """Write the notebooks of this build's language into its docs folder."""
    try:
        write_notebooks(ROOT, languages=(Path(config.docs_dir).name,))
    except SnippetError as error:
        raise PluginError(str(error)) from None


def on_page_markdown(markdown, page, config, files):
    """Append a link to the page's notebook to every page that has one."""
    lang = Path(config.docs_dir).name
    if page.file.src_uri.startswith(NOTEBOOK_DIR + "/") or not has_includes(markdown):
        return markdown
    if not notebook_path(Path(page.file.abs_src_path)).is_file():
        return markdown
    href = f"{NOTEBOOK_DIR}/{Path(page.file.src_uri).stem}.ipynb"
    return markdown + "\n\n" + LINK_TEXT[lang].format(href=href) + "\n"


def on_post_page(output, page, config):
    """Prune the JupyterLab stylesheet mkdocs-jupyter inlined into a notebook page."""
    if page.file.src_uri.startswith(NOTEBOOK_DIR + "/"):
        return prune_notebook_page(output)
    return output
