"""MkDocs hook: each language's own address, and 404 pages that work at any depth.

``site_url`` comes from the environment (mkdocs.yml: ``!ENV SITE_URL``, set by the Pages
workflow, unset locally); the English build, which inherits it, gets its own address
under ``en/`` (tools.site_links). MkDocs renders ``404.html`` with absolute links from
the path of ``site_url``, or from ``/`` without one (mkdocs/commands/build.py,
``_build_template``): right for the Japanese site at the root, but the English 404 page
would load the Japanese build's files. Without ``site_url`` this hook points it at
``/en/`` instead, so each language's 404 page works at any depth of a site served at
the root (``mkdocs serve``, the browser tests).
"""

import sys
from pathlib import Path

from mkdocs.utils import normalize_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.notebooks import NOTEBOOK_DIR  # noqa: E402
from tools.site_links import PREFIX, language_site_url  # noqa: E402

#: The branch Material's view-source action and the snippet links show.
SOURCE_BRANCH = "main"


def on_config(config):
    """Give this language's build its own ``site_url`` (None stays None).

    With a ``repo_url``, point ``edit_uri`` at this language's pages on the branch the
    site is published from (set here: MkDocs warns about an ``edit_uri`` without
    ``repo_url``, and ``repo_url`` is unset locally).
    """
    lang = config.theme["language"]
    config.site_url = language_site_url(config.site_url, lang)
    if config.repo_url:
        config.edit_uri = f"blob/{SOURCE_BRANCH}/{Path(config.docs_dir).relative_to(ROOT)}/"
    return config


def on_page_content(html, page, config, files):
    """Point a notebook page's view-source action at the page it is made from.

    The notebooks are generated at build time and not committed: their own path does
    not exist in the repository.
    """
    if page.edit_url and page.file.src_uri.startswith(NOTEBOOK_DIR + "/"):
        page.edit_url = page.edit_url.replace(
            page.file.src_uri, Path(page.file.src_uri).stem + ".md"
        )
    return html


def on_template_context(context, template_name, config):
    """Root the 404 page of a build without ``site_url`` at its language's folder."""
    if template_name == "404.html" and not config.site_url:
        base = "/" + PREFIX[config.theme["language"]]
        context["base_url"] = base
        context["extra_css"] = [normalize_url(path, None, base) for path in config.extra_css]
    return context
