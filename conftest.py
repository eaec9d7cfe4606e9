"""Test-run setup shared by the snippets (pytest-codeblocks) and tests/.

- TensorFlow's C++ logs are silenced before anything imports it.
- Keras runs on TensorFlow with its default settings: ``KERAS_BACKEND``, a
  ``~/.keras/keras.json`` and ``KERAS_MAX_*`` of the caller are ignored (tools.keras_env).
- The header says in one line whether the installed versions match the pins, so
  that version drift is not mistaken for a wrong page.
- A failing snippet names its file and line and the pages that include it.
"""

import difflib
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tools import keras_env  # noqa: E402

# Every snippet runs on TensorFlow with Keras' default settings, whatever the caller's
# KERAS_BACKEND or ~/.keras/keras.json say; children (Keras 2 snippets) inherit it.
keras_env.pin(os.environ, "tensorflow")

import pytest  # noqa: E402

from tools import versions  # noqa: E402
from tools.snippets import SnippetError, including_pages, rel  # noqa: E402


def pytest_report_header(config):
    """Return the one-line version check shown at the top of the run."""
    drift = versions.version_drift()
    if drift:
        return (
            "VERSION DRIFT: installed versions differ from requirements.txt ("
            + "; ".join(drift)
            + "): snippet outputs may differ because of that. `make test` installs "
            f"the pins. Keras backend: {os.environ['KERAS_BACKEND']}"
        )
    shown = ", ".join(f"{name} {version}" for name, version in versions.stamp())
    return (
        f"versions: {shown} (output packages at their pins); Keras backend: "
        f"{os.environ['KERAS_BACKEND']} (set by conftest.py; keras.json ignored)"
    )


def pytest_collection_modifyitems(config, items):
    """Keep each snippet file's blocks on one pytest-xdist worker, in order.

    Blocks of one file run one after another in one process, as the refresher
    (tools/refresh.py) runs them; whole files spread over the workers
    (``--dist loadgroup``). That no output depends on which snippets ran before it in
    the process is checked in CI by running them in reverse order and each in a
    process of its own (``python -m tools.backends --order reverse|isolated``).
    """
    for item in items:
        if hasattr(getattr(item, "obj", None), "expected_output"):
            item.add_marker(
                pytest.mark.xdist_group(f"snippet:{item.path.name}:{item.path.parent.name}")
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Prefix a failing snippet's report with its file, line and including pages."""
    report = yield
    block = getattr(item, "obj", None)
    if report.failed and call.when == "call" and hasattr(block, "expected_output"):
        snippet = rel(item.path)
        try:
            pages = including_pages().get(snippet, [])
        except SnippetError as error:
            pages = [f"(pages unreadable: {error})"]
        report.longrepr = (
            f"snippet {snippet}, code block at line {block.lineno}\n"
            f"included by: {', '.join(pages) or 'no page'}\n"
            f"{output_diff(block.expected_output, str(report.longrepr))}\n"
            f"{report.longrepr}"
        )
    return report


def output_diff(expected: str | None, message: str) -> str:
    """Return a unified diff of expected against actual output, or "" if unknown.

    The actual output is read from pytest-codeblocks' failure message, which ends
    with "but got" and the output in a fence.
    """
    marker = "but got\n```\n"
    if expected is None or marker not in message:
        return ""
    actual = message.rsplit(marker, 1)[1].rsplit("```", 1)[0]
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
    )
    return "\n".join(diff) + "\n"
