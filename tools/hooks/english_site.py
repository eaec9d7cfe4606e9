"""MkDocs hook: after the Japanese site is built, build the English one into ``en/``.

One ``mkdocs build --strict`` (or ``mkdocs serve``) at the repo root thus builds and
serves both languages: Japanese at the site root, English under ``en/``. Each language
is its own MkDocs project (mkdocs.yml, and mkdocs.en.yml which INHERITs it), so that
notebook pages render in both (mkdocs-static-i18n copies ``.ipynb`` files raw:
ultrabug/mkdocs-static-i18n#198). Material's own projects plugin does the same job,
but its docs call it deprecated with known issues that will not be fixed.

Under ``mkdocs serve`` only, a rebuild after an edit of Japanese pages alone keeps the
English site of the previous build instead of building it again (half the reload
time). MkDocs does not say which files changed, so the hook compares the size and
modification time of every watched file with those at the last English build: the
English site is rebuilt when any file outside the Japanese docs folder changed
(``docs/en``, ``snippets``, ``overrides``, the configs, the hooks). ``mkdocs build``
always builds both languages in full.
"""

import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.figures import FIGURE_DIR  # noqa: E402
from tools.notebooks import NOTEBOOK_DIR  # noqa: E402

ENGLISH_CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.en.yml"

log = logging.getLogger("mkdocs.hooks.english_site")

#: Set by on_startup: True under ``mkdocs serve`` (not ``serve --clean``).
_serving = False
#: The watched files (path -> (size, mtime)) when the English site was last built.
_built_from: dict[str, tuple[int, int]] | None = None
#: Where on_pre_build put the previous English site, under serve.
_kept: Path | None = None


def on_startup(command, dirty):
    """Remember whether this process serves the site (then rebuilds may skip English)."""
    global _serving, _built_from
    _serving = command == "serve"
    _built_from = None


def watched_files(paths) -> dict[str, tuple[int, int]]:
    """Return (size, mtime in ns) of every file in ``paths`` (files or folders)."""
    found = {}
    for path in map(Path, paths):
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts:
                stat = file.stat()
                found[str(file.resolve())] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed_files(before: dict, after: dict) -> set[str]:
    """Return the files added, removed or modified between two watched_files()."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def english_needs_rebuild(changed, japanese_docs) -> bool:
    """Whether a file that the English site may depend on is among ``changed``.

    Args:
        changed: paths (str) of the watched files that changed since the last English build.
        japanese_docs: the Japanese docs folder (``docs/ja``).

    Only the Japanese pages never go into the English site. The notebooks and figures
    generated in any language's folder (``docs/<lang>/notebooks``, ``docs/<lang>/figures``)
    are outputs of its build, made from pages and snippets that are watched themselves: the
    English build writes its own after the snapshot of the inputs is taken. Any other
    change rebuilds the English site.
    """
    japanese_docs = Path(japanese_docs).resolve()
    docs = japanese_docs.parent
    generated = {NOTEBOOK_DIR, FIGURE_DIR}

    def is_generated(path: Path) -> bool:
        parts = path.relative_to(docs).parts if path.is_relative_to(docs) else ()
        return len(parts) > 2 and parts[1] in generated

    return any(
        not path.is_relative_to(japanese_docs) and not is_generated(path)
        for path in map(Path, changed)
    )


def _kept_dir(config) -> Path:
    """Where the previous English site waits while MkDocs empties ``site_dir``."""
    site_dir = Path(config.site_dir)
    return site_dir.with_name(site_dir.name + ".en-previous")


def _inputs(config) -> list[str]:
    return [config.docs_dir, config.config_file_path, *config.watch]


def on_pre_build(config):
    """Under serve, move the previous English site out of ``site_dir``, which MkDocs empties."""
    global _kept
    if not _serving:
        return
    english, _kept = Path(config.site_dir) / "en", _kept_dir(config)
    if english.is_dir():
        shutil.rmtree(_kept, ignore_errors=True)
        os.replace(english, _kept)


def on_post_build(config):
    """Build mkdocs.en.yml into ``<site_dir>/en`` with the same strictness.

    Under serve, put the previous English site back instead when no file it may
    depend on changed since it was built.
    """
    global _built_from
    english, kept = Path(config.site_dir) / "en", _kept_dir(config)
    inputs = watched_files(_inputs(config)) if _serving else None
    if (
        inputs is not None
        and _built_from is not None
        and kept.is_dir()
        and not english_needs_rebuild(changed_files(_built_from, inputs), config.docs_dir)
    ):
        os.replace(kept, english)
        log.info("Only Japanese pages changed: the English site of the last build is kept")
        return
    _built_from = None  # until this build succeeds
    if _serving:
        shutil.rmtree(kept, ignore_errors=True)
    build(
        load_config(
            str(ENGLISH_CONFIG),
            site_dir=str(english),
            strict=config.strict,
        )
    )
    _built_from = inputs


def on_shutdown():
    """Remove the previous English site if a failed rebuild left it aside."""
    global _serving, _built_from
    if _kept is not None:
        shutil.rmtree(_kept, ignore_errors=True)
    _serving, _built_from = False, None
