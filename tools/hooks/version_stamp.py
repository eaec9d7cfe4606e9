"""MkDocs hook: stamp every page with the versions its outputs were verified with.

The versions are read from the installed packages at build time (tools.versions),
never typed by hand; ``overrides/main.html`` shows them under each page. A build
whose installed versions differ from the pins fails at once when strict (mkdocs.yml's
``strict: true``, or ``--strict``) and logs a warning otherwise: the site would
otherwise claim outputs for versions they were not checked with.

Beside them, the date the outputs were last checked by a passing test run of the
publishing workflow: its test job writes ``SITE_VERIFIED_ON`` once ``make test`` passed,
and the build after it reads it (tools.site_links.verified_on). A local build has no
such date and shows none: a build date would say nothing about the outputs.
"""

import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.exceptions import PluginError  # noqa: E402

from tools import versions  # noqa: E402
from tools.site_links import verified_on  # noqa: E402

log = logging.getLogger("mkdocs.hooks.version_stamp")


def on_config(config):
    """Put the installed versions and the verification date into ``config.extra``.

    Raises:
        PluginError: ``SITE_VERIFIED_ON`` is set but not a date, or the installed versions
            differ from the pins in a strict build (one line, no traceback). A strict
            build would fail on the warning anyway, after building every page.
    """
    config.extra["verified_with"] = versions.stamp()
    try:
        config.extra["verified_on"] = verified_on(os.environ)
    except ValueError as error:
        raise PluginError(str(error)) from None
    drift = versions.version_drift()
    if drift:
        message = (
            "installed versions differ from requirements.txt, the page outputs were "
            "not verified with them: " + "; ".join(drift)
        )
        if config.strict:
            raise PluginError(message)
        log.warning(message)
    return config
