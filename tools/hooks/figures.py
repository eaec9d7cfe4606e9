"""MkDocs hook: draw the pitfall pages' figures from their snippets' output blocks.

Before the files of a language are collected, tools.figures writes
``docs/<lang>/figures/<page>-light.svg`` and ``-dark.svg`` with labels in that
language, only when their content changed (so ``mkdocs serve`` does not loop). Each
figure is drawn from the output block of a snippet, which the test run proves equals
what the pinned Keras printed.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.figures import FIGURE_DIR, FigureError, sized_images, write_figures  # noqa: E402


def on_pre_build(config):
    """Write the figures of this build's language into its docs folder."""
    try:
        write_figures(ROOT, languages=(Path(config.docs_dir).name,))
    except FigureError as error:
        raise PluginError(f"figure: {error}") from None


def on_page_content(html, page, config, files):
    """Give each figure <img> its SVG's width and height (no layout shift on load)."""
    return sized_images(html, Path(config.docs_dir) / FIGURE_DIR)
