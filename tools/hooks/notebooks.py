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
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.notebook_css import prune_notebook_page  # noqa: E402
from tools.notebooks import (  # noqa: E402
    NOTEBOOK_DIR,
    notebook_path,
    page_toc_tokens,
    pages_with_snippets,
    with_page_ids,
    write_notebooks,
)
from tools.site_links import colab_url  # noqa: E402
from tools.snippets import SnippetError, has_includes  # noqa: E402

LINK_TEXT = {
    "ja": "このページのコードは Jupyter ノートブックとしても実行できます: [ノートブック版]({href})",
    "en": "The code on this page also runs as a Jupyter notebook: [notebook version]({href})",
}
#: Added to LINK_TEXT when the repository is known (the notebook is published there).
COLAB_TEXT = {"ja": "([Colab で開く]({href}))", "en": "([open in Colab]({href}))"}


#: What a rendered notebook page depends on besides the notebook and the plugin options.
RENDERERS = ("mkdocs-jupyter", "nbconvert", "jupyterlab-pygments", "pygments", "jupytext")


def on_config(config):
    """Give mkdocs-jupyter's render cache one folder per language and renderer versions.

    mkdocs-jupyter (0.26) caches each rendered notebook in ``cache_dir`` under a hash of
    the notebook and the plugin options, and after a build deletes every cache file that
    build did not use. With one shared folder, the Japanese and the English builds
    deleted each other's files, so every build, and every reload under ``mkdocs serve``,
    rendered all notebooks again. The versions in the folder name keep an upgrade of
    the renderers from serving pages rendered by the old ones.
    """
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is not None:
        versions = "-".join(metadata.version(name) for name in RENDERERS)
        lang = Path(config.docs_dir).name
        plugin.config["cache_dir"] = str(ROOT / ".cache" / "mkdocs-jupyter" / lang / versions)
    return config


def on_pre_build(config):
    """Write the notebooks of this build's language into its docs folder.

    Also put each notebook's Open in Colab address into ``config.extra.colab`` (topic ->
    address; None without a GitHub ``repo_url``), for overrides/main.html.
    """
    lang = Path(config.docs_dir).name
    try:
        write_notebooks(ROOT, languages=(lang,))
    except SnippetError as error:
        raise PluginError(str(error)) from None
    colab = {
        page.stem: colab_url(config.repo_url, lang, page.stem)
        for page in pages_with_snippets(ROOT)[lang]
    }
    config.extra["colab"] = colab if all(colab.values()) else None


def on_page_markdown(markdown, page, config, files):
    """Append a link to the page's notebook to every page that has one."""
    lang = Path(config.docs_dir).name
    if page.file.src_uri.startswith(NOTEBOOK_DIR + "/") or not has_includes(markdown):
        return markdown
    if not notebook_path(Path(page.file.abs_src_path)).is_file():
        return markdown
    topic = Path(page.file.src_uri).stem
    link = LINK_TEXT[lang].format(href=f"{NOTEBOOK_DIR}/{topic}.ipynb")
    colab = (config.extra.get("colab") or {}).get(topic)
    if colab:
        link += " " + COLAB_TEXT[lang].format(href=colab)
    return markdown + "\n\n" + link + "\n"


def on_page_content(html, page, config, files):
    """Give a notebook page its page's section ids, table of contents and title.

    The notebook page of ``<topic>.md`` gets the page's explicit heading ids (so a
    section has the same address on both), the page's table of contents (mkdocs-jupyter
    0.26 drops code spans from it, and its links did not match the headings' ids on
    Japanese pages) and the page's title (also without its code spans). Notebook pages
    are left out of the search index: their prose is their page's; search results would
    list each page twice, and indexing a notebook page's highlighted code took a third
    of a rebuild under ``mkdocs serve``.
    """
    if not page.file.src_uri.startswith(NOTEBOOK_DIR + "/"):
        return html
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    source = Path(config.docs_dir) / (Path(page.file.src_uri).stem + ".md")
    tokens = page_toc_tokens(source, config.markdown_extensions, config.mdx_configs)
    try:
        html = with_page_ids(html, tokens, page.file.src_uri)
    except SnippetError as error:
        raise PluginError(str(error)) from None
    page.toc = get_toc(tokens)
    if tokens and tokens[0]["level"] == 1:
        page.title = tokens[0]["name"]
    return html


def on_post_page(output, page, config):
    """Prune the JupyterLab stylesheet mkdocs-jupyter inlined into a notebook page."""
    if page.file.src_uri.startswith(NOTEBOOK_DIR + "/"):
        return prune_notebook_page(output)
    return output
