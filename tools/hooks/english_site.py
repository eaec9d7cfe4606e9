"""MkDocs hook: after the Japanese site is built, build the English one into ``en/``.

One ``mkdocs build --strict`` (or ``mkdocs serve``) at the repo root thus builds and
serves both languages: Japanese at the site root, English under ``en/``. Each language
is its own MkDocs project (mkdocs.yml, and mkdocs.en.yml which INHERITs it), so that
notebook pages render in both (mkdocs-static-i18n copies ``.ipynb`` files raw:
ultrabug/mkdocs-static-i18n#198). Material's own projects plugin does the same job,
but its docs call it deprecated with known issues that will not be fixed.
"""

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

ENGLISH_CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.en.yml"


def on_post_build(config):
    """Build mkdocs.en.yml into ``<site_dir>/en`` with the same strictness."""
    english = load_config(
        str(ENGLISH_CONFIG),
        site_dir=str(Path(config.site_dir) / "en"),
        strict=config.strict,
    )
    build(english)
