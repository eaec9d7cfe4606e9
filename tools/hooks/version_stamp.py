"""MkDocs hook: stamp every page with the versions its outputs were verified with.

The versions are read from the installed packages at build time (tools.versions),
never typed by hand; ``overrides/main.html`` shows them under each page. A build
whose installed versions differ from the pins logs a warning, so ``--strict`` fails:
the site would otherwise claim outputs for versions they were not checked with.
"""

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools import versions  # noqa: E402

log = logging.getLogger("mkdocs.hooks.version_stamp")


def on_config(config):
    """Put the installed versions into ``config.extra.verified_with``."""
    config.extra["verified_with"] = versions.stamp()
    drift = versions.version_drift()
    if drift:
        log.warning(
            "installed versions differ from requirements.txt, the page outputs were "
            "not verified with them: %s",
            "; ".join(drift),
        )
    return config
