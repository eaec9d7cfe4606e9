"""The warnings the pages quote are given by their snippets, checked three ways.

- the registry (tools/quoted_warnings.py) matches the pages and, for warnings a snippet
  prints, its output block (no run);
- the test command fails a snippet whose run no longer gives a quoted warning on stderr
  (conftest.py, from the snippet tests' own run);
- the drift watch reports a quoted warning that the newest Keras no longer gives.
Each is shown to fail on a copy of the tree broken on purpose.
"""

import os
import subprocess
import sys
import sysconfig

from tests.conftest import edit
from tools import drift, quoted_warnings
from tools.snippets import ROOT

#: Silences every Python warning of the snippet, and changes nothing it prints.
SILENCE = (
    "import itertools\n",
    "import itertools\nimport warnings\n\nwarnings.simplefilter('ignore')\n",
)
QUIET_SNIPPET = "snippets/partial-batches/generator-steps.md"


def test_every_quote_is_on_its_pages_and_every_printed_one_in_its_output():
    assert quoted_warnings.page_problems(ROOT) == []
    assert quoted_warnings.output_problems(ROOT) == []
    streams = {quote.stream for quote in quoted_warnings.QUOTES}
    assert streams == {"stdout", "stderr"}
    for quote in quoted_warnings.QUOTES:  # both languages quote each one
        assert {page.split("/")[1] for page in quote.pages} == {"en", "ja"}, quote


def test_a_page_that_stops_quoting_is_named(site_copy):
    edit(
        site_copy / "docs/ja/training.md", "You may need to use the `.repeat()`", "Use `.repeat()`"
    )
    assert quoted_warnings.page_problems(site_copy) == [
        "docs/ja/training.md: no longer quotes 'Your input ran out of data; interrupting "
        "training. Make sure that your dataset or generator can generate at least "
        "`steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function "
        "when building your dataset.'; update QUOTES in tools/quoted_warnings.py"
    ]


def test_an_output_that_no_longer_shows_a_printed_warning_is_named(site_copy):
    edit(site_copy / "snippets/migration/sequence.md", "should call `super()", "must call `super()")
    (problem,) = quoted_warnings.output_problems(site_copy)
    assert problem.startswith(
        "snippets/migration/sequence.md: its output no longer shows the warning "
        "docs/en/symptoms.md, docs/ja/symptoms.md quote: 'UserWarning: Your `PyDataset`"
    )


def test_whitespace_runs_count_as_one_space():
    assert quoted_warnings.holds("a  b\n c", "a b c")
    assert not quoted_warnings.holds("a b", "a b c")
    assert quoted_warnings.warning_lines("x\n/k/e.py:1: UserWarning: hi\n  code\n") == [
        "/k/e.py:1: UserWarning: hi"
    ]


def run_pytest(root, *args):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_test_command_fails_a_snippet_that_stops_giving_a_quoted_warning(site_copy):
    # One snippet, run twice in a copy: as it is (passes, its warning still in pytest's
    # summary), then with its warnings silenced (its output is the same, so only the
    # quoted-warning check can fail it).
    done = run_pytest(site_copy, QUIET_SNIPPET)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "UserWarning: Your input ran out of data" in done.stdout  # still in the summary
    edit(site_copy / QUIET_SNIPPET, *SILENCE)
    done = run_pytest(site_copy, QUIET_SNIPPET)
    assert done.returncode == 1 and "1 failed" in done.stdout, done.stdout[-3000:]
    assert (
        f"snippet {QUIET_SNIPPET}: its run no longer gives on standard error the warning "
        "that these pages quote (tools/quoted_warnings.py):\n"
        "  'UserWarning: Your input ran out of data'\n"
        "    quoted on docs/en/partial-batches.md, docs/ja/partial-batches.md\n"
        "it gave no warning"
    ) in done.stdout, done.stdout[-3000:]


def result(stderr, printed="x\n"):
    return {
        "versions": {"keras": "9.9.9"},
        "blocks": [
            {
                "snippet": QUIET_SNIPPET,
                "line": 1,
                "expected": "x\n",
                "printed": printed,
                "stderr": stderr,
                "error": None,
            }
        ],
    }


GIVEN = (
    "/k/epoch_iterator.py:164: UserWarning: Your input ran out of data; interrupting training."
    " Make sure ...\n  self._interrupted_warning()\n"
)


def test_drift_is_silent_while_the_quoted_warning_is_given():
    summary, markdown = drift.report(result(GIVEN), "keras==3.15.1")
    assert summary.startswith("drift: no drift") and "quoted warning" not in summary
    assert "## Quoted warnings" not in markdown


def test_drift_reports_a_quoted_warning_that_changed_or_is_gone():
    changed = GIVEN.replace("Your input ran out of data", "The data ran out")
    summary, markdown = drift.report(result(changed), "keras==3.15.1")
    assert summary.endswith("; 1 quoted warning(s) changed or gone")
    assert f"\n{summary}\n" in markdown  # the report's summary line is the same
    assert "## Quoted warnings changed or gone" in markdown
    assert f"### `{QUIET_SNIPPET}` no longer gives a quoted warning" in markdown
    assert "Quoted on docs/en/partial-batches.md, docs/ja/partial-batches.md (stderr)" in markdown
    assert "/k/epoch_iterator.py:164: UserWarning: The data ran out; interrupting" in markdown
    _, markdown = drift.report(result(""), "keras==3.15.1")
    assert "It gave no warning." in markdown


def test_the_drift_watch_notices_a_quoted_warning_that_is_gone(site_copy, tmp_path):
    # A real drift run (the pins, layered on this environment) in a copy whose snippet
    # no longer gives its warning: the outputs are the same, the warning is reported.
    edit(site_copy / QUIET_SNIPPET, *SILENCE)
    report = tmp_path / "report.md"
    done = subprocess.run(
        [sys.executable, "-m", "tools.drift", "--requirements", "requirements.txt"]
        + ["--layer-on", sysconfig.get_path("purelib"), "--report", str(report)]
        + ["--snippets", QUIET_SNIPPET],
        cwd=site_copy,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert "drift: all 1 snippet blocks print the same with " in done.stdout, done.stdout
    assert "; 1 quoted warning(s) changed or gone" in done.stdout, done.stdout
    text = report.read_text(encoding="utf-8")
    assert f"### `{QUIET_SNIPPET}` no longer gives a quoted warning" in text
    assert "It gave no warning." in text
