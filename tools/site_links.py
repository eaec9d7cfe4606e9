"""Addresses the site links to: its own per-language roots, its repository, Colab.

The site's address (``SITE_URL``) and its repository (``SITE_REPO_URL``) come from the
environment of the Pages workflow (.github/workflows/site.yml) through ``!ENV`` in
mkdocs.yml; locally both are unset, and every link made from them is left out. Nothing
here types an address into a page.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

#: Where each language's build lives, relative to the site root (mkdocs.yml: Japanese
#: at the root; mkdocs.en.yml: English under en/).
PREFIX = {"ja": "", "en": "en/"}
#: The branch the Pages workflow publishes each page's notebook to, as
#: ``<lang>/<topic>.ipynb`` (tools/publish_notebooks.py): Colab opens notebooks from
#: GitHub only, and the notebooks are generated at build time, never committed.
NOTEBOOK_BRANCH = "notebooks"
#: Set by the workflow's test job once ``make test`` passed; read by the build.
VERIFIED_ON = "SITE_VERIFIED_ON"


def language_site_url(site_url: str | None, lang: str) -> str | None:
    """Return the address of ``lang``'s build given the site's address, or None.

    ``language_site_url("https://x.github.io/r/", "en")`` is ``".../r/en/"``; an address
    that already ends with the language's folder is returned as it is.
    """
    if not site_url:
        return None
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    prefix = PREFIX[lang]
    return site_url if not prefix or site_url.endswith("/" + prefix) else site_url + prefix


def github_repository(repo_url: str | None) -> str | None:
    """Return ``owner/name`` of a ``https://github.com/owner/name`` address, else None."""
    if not repo_url:
        return None
    parts = urlsplit(repo_url)
    path = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.netloc.lower() != "github.com" or len(path) != 2 or not all(path):
        return None
    return "/".join(path)


def source_url(repo_url: str | None, edit_uri: str | None, path: str) -> str | None:
    """Return the address of a repository file (``snippets/x/y.md``) on GitHub, or None.

    The branch is the one of ``edit_uri`` (``blob/main/docs/ja/`` in mkdocs.yml), so a
    snippet link shows the same revision as Material's view-source action.
    """
    if not repo_url or not edit_uri:
        return None
    ref = edit_uri.strip("/").split("/docs/")[0]  # "blob/main"
    return f"{repo_url.rstrip('/')}/{ref}/{path}"


def published_notebook(lang: str, topic: str) -> str:
    """Return the path of a page's notebook on the ``NOTEBOOK_BRANCH`` branch."""
    return f"{lang}/{topic}.ipynb"


def colab_url(repo_url: str | None, lang: str, topic: str) -> str | None:
    """Return the Open in Colab address of a page's published notebook, or None.

    Colab opens ``colab.research.google.com/github/<owner>/<name>/blob/<branch>/<path>``
    (a GitHub repository only): None when ``repo_url`` is not a GitHub repository.
    """
    repository = github_repository(repo_url)
    if repository is None:
        return None
    path = published_notebook(lang, topic)
    return f"https://colab.research.google.com/github/{repository}/blob/{NOTEBOOK_BRANCH}/{path}"


def verified_on(environ) -> str | None:
    """Return the date the outputs were last checked by the publishing workflow, or None.

    Args:
        environ: a mapping like ``os.environ``; ``SITE_VERIFIED_ON`` holds an ISO date
            (``2026-11-30``) written by the workflow's test job after ``make test`` passed.

    Returns:
        The date as ``YYYY-MM-DD``, or None when the variable is unset or empty (a local
        build: its outputs were checked, if at all, by nobody the reader can see).

    Raises:
        ValueError: the variable is set to something that is not an ISO date.
    """
    value = (environ.get(VERIFIED_ON) or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{VERIFIED_ON}={value!r} is not a date like 2026-11-30") from None
