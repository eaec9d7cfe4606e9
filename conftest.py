"""Test-run setup shared by the snippets (pytest-codeblocks) and tests/.

- TensorFlow's C++ logs are silenced before anything imports it.
- Keras runs on TensorFlow with its default settings: ``KERAS_BACKEND``, a
  ``~/.keras/keras.json`` and ``KERAS_MAX_*`` of the caller are ignored (tools.keras_env).
- The header says in one line whether the installed versions match the pins, so
  that version drift is not mistaken for a wrong page.
- A failing snippet names its file and line and the pages that include it.
- A snippet whose warning a page quotes from standard error (tools/quoted_warnings.py)
  fails when its run in this test command did not give it: the check reads what the
  snippet's own test run wrote, and runs nothing a second time.
"""

import difflib
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tools import keras_env  # noqa: E402

# Every snippet runs on TensorFlow with Keras' default settings, whatever the caller's
# KERAS_BACKEND or ~/.keras/keras.json say; children (Keras 2 snippets) inherit it.
keras_env.pin(os.environ, "tensorflow")

import pytest  # noqa: E402

from tools import quoted_warnings, versions  # noqa: E402
from tools.snippets import SnippetError, including_pages, rel  # noqa: E402

#: On the last block of a snippet whose stderr a page quotes: how many blocks it has.
_LAST_OF = pytest.StashKey[int]()
#: On each block of such a snippet: the Python warnings its run gave, as stderr shows them.
_WARNED = pytest.StashKey[str]()
#: Per such snippet, in this process: [blocks seen, their standard error so far].
_stderr_seen: dict[str, list] = {}

#: What the version-drift line tells a reader to run (tools/mine.py).
MINE_COMMAND = "python -m tools.mine"


def pytest_xdist_auto_num_workers(config):
    """Return how many pytest-xdist workers ``-n auto`` starts: one more than the cores.

    pyproject.toml's addopts ask for ``-n auto``. At one worker per core the machine sat
    idle about 10% of a full run (sampled from /proc/stat): a worker often waits for a
    page's animation frames, a child process or a lock. With a third worker on a 2-core
    machine the full run took 363 and 357 s, against 386 and 366 s with two (2026-11-30,
    alternating runs). ``-n N`` on the command line still starts N; None keeps
    pytest-xdist's own count for ``-n logical`` (pytest-xdist's documented hook).

    Args:
        config: the pytest config; ``config.option.numprocesses`` is what ``-n`` said.

    Returns:
        int | None: the worker count for ``-n auto``, else None.
    """
    if config.option.numprocesses != "auto":
        return None
    return usable_cores() + 1


def usable_cores() -> int:
    """Return the cores this process may run on (all of the machine's on macOS).

    ``os.sched_getaffinity`` exists on Linux only; elsewhere ``os.cpu_count()``.
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pytest_report_header(config):
    """Return the one-line version check shown at the top of the run."""
    drift = versions.version_drift()
    if drift:
        return (
            "VERSION DRIFT: installed versions differ from requirements.txt ("
            + "; ".join(drift)
            + "): snippet outputs may differ because of that. `make test` installs "
            f"the pins; `{MINE_COMMAND}` (make check-mine) lists, page by page, which "
            "outputs differ with the installed versions and how. Keras backend: "
            f"{os.environ['KERAS_BACKEND']}"
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
    quoting: dict[str, list] = {}
    for item in items:
        if hasattr(getattr(item, "obj", None), "expected_output"):
            item.add_marker(
                pytest.mark.xdist_group(f"snippet:{item.path.name}:{item.path.parent.name}")
            )
            if quoted_warnings.for_snippet(rel(item.path), "stderr"):
                quoting.setdefault(rel(item.path), []).append(item)
    for blocks in quoting.values():
        blocks[-1].stash[_LAST_OF] = len(blocks)


def quotes_stderr(item) -> bool:
    """True for a block of a snippet whose standard error a page quotes."""
    return hasattr(getattr(item, "obj", None), "expected_output") and bool(
        quoted_warnings.for_snippet(rel(item.path), "stderr")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Record the Python warnings of a block whose snippet's stderr a page quotes.

    pytest records every warning of a test instead of printing it to stderr; this keeps
    a copy of those of the block, formatted as Python prints them, and gives them back to
    pytest unchanged (its warnings summary still lists them).
    """
    if not quotes_stderr(item):
        return (yield)
    log: list = []
    try:
        with warnings.catch_warnings(record=True) as log:
            return (yield)
    finally:
        item.stash[_WARNED] = "".join(
            warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in log
        )
        for w in log:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Prefix a failing snippet's report with its file, line and including pages."""
    report = yield
    block = getattr(item, "obj", None)
    if call.when == "call" and quotes_stderr(item):
        check_quoted_warnings(item, report)
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


def check_quoted_warnings(item, report) -> None:
    """Fail the last block of a snippet whose run did not give a warning a page quotes.

    The blocks' standard error (pytest's capture) and Python warnings (pytest_runtest_call)
    are gathered block by block; on the last block, when every block of the snippet ran in
    this process, each stderr quote of tools/quoted_warnings.py must be in them.
    """
    snippet = rel(item.path)
    seen = _stderr_seen.setdefault(snippet, [0, ""])
    seen[0] += 1
    seen[1] += item.stash.get(_WARNED, "") + report.capstderr
    if _LAST_OF not in item.stash:
        return
    del _stderr_seen[snippet]
    if seen[0] != item.stash[_LAST_OF]:
        return  # some blocks were deselected: what they would have given is unknown
    gone = [q for q in quoted_warnings.missing(snippet, "", seen[1]) if q.stream == "stderr"]
    if not gone:
        return
    given = quoted_warnings.warning_lines(seen[1])
    message = (
        f"snippet {snippet}: its run no longer gives on standard error the warning that "
        "these pages quote (tools/quoted_warnings.py):\n"
        + "".join(f"  {q.text!r}\n    quoted on {', '.join(q.pages)}\n" for q in gone)
        + (
            "warnings it gave:\n" + "".join(f"  {line}\n" for line in given)
            if given
            else "it gave no warning\n"
        )
    )
    if report.passed:
        report.outcome = "failed"
        report.longrepr = message
    else:
        report.longrepr = f"{message}\n{report.longrepr}"


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
