"""The drift watch: unpinning, reports, and end-to-end runs in a throwaway environment."""

import os
import subprocess
import sys
import sysconfig

import pytest

from tools import drift
from tools.snippets import ROOT
from tools.versions import REQUIREMENTS

# Layer the throwaway environment on this one, so that only what differs is installed.
SITE_PACKAGES = sysconfig.get_path("purelib")


def index_unreachable(env=None) -> str | None:
    """Return why pip cannot reach its package index, or None when it can.

    Asks the index pip is configured with (``pip index versions keras``) for the pinned
    Keras, with no retries, so that an unreachable index answers in seconds.
    """
    done = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "keras"]
        + ["--retries", "0", "--timeout", "15", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    if done.returncode == 0 and "3.15.1" in done.stdout:
        return None
    last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no answer"]
    return f"needs the package index: pip could not reach it ({last[0][:120]})"


@pytest.fixture(scope="module")
def package_index():
    """Skip, saying why, the runs that install from the package index when it is unreachable."""
    reason = index_unreachable()
    if reason:
        pytest.skip(reason)


def test_an_unreachable_index_is_named_as_the_reason():
    # 127.0.0.1 port 9 (discard) has no index: as on a machine without the network.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PIP_")},
        "PIP_CONFIG_FILE": os.devnull,  # no extra or local index from pip's config either
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
    }
    reason = index_unreachable(env)
    assert reason and reason.startswith("needs the package index: pip could not reach it")


def test_only_the_watched_packages_are_unpinned():
    text = drift.unpinned_requirements()
    lines = text.splitlines()
    assert "tensorflow" in lines and "keras" in lines and "tf-keras" in lines
    assert not any(line.startswith(("tensorflow==", "keras==")) for line in lines)
    assert "mkdocs==1.6.1" in lines


def block(**fields):
    return {"snippet": "snippets/test-bench/two-steps.md", "line": 1, "expected": "a\n", **fields}


def test_the_report_tells_changed_outputs_from_raising_snippets():
    results = {
        "versions": {"keras": "9.9.9"},
        "blocks": [
            block(printed="a\n", error=None),
            block(printed="b\n", error=None),
            block(printed=None, error="TypeError: boom"),
        ],
    }
    summary, markdown = drift.report(results, "keras==3.15.1")
    assert summary.startswith(
        "drift: 1 snippet block(s) would change and 1 now raise(s), 1 unchanged"
    )
    assert "keras 9.9.9" in summary
    assert "## Now raises" in markdown and "TypeError: boom" in markdown
    assert "## Output would change" in markdown and "-a\n+b" in markdown
    assert "Pages: docs/ja/test-bench.md, docs/en/test-bench.md" in markdown


def test_a_newer_keras_whose_outputs_differ_is_a_new_history_column():
    changed = {"versions": {"keras": "9.9.9"}, "blocks": [block(printed="b\n", error=None)]}
    markdown = drift.report(changed, "keras==3.15.1")[1]
    assert "## New history column" in markdown
    assert "keras 9.9.9 is newer than the newest release of the Keras history" in markdown
    assert "`snippets/test-bench/two-steps.md:1`" in markdown
    # the same outputs, or a release the history has, make no column
    same = {"versions": {"keras": "9.9.9"}, "blocks": [block(printed="a\n", error=None)]}
    assert "New history column" not in drift.report(same, "keras==3.15.1")[1]
    known = {"versions": {"keras": "3.15.1"}, "blocks": [block(printed="b\n", error=None)]}
    assert "New history column" not in drift.report(known, "keras==3.15.1")[1]


#: The end-to-end runs try a few snippets, not all (the weekly watch runs all): a Keras 3
#: one, a Keras 2 (tf_keras) one in its child process, and the one that raises on 3.12.
SNIPPETS = [
    "snippets/test-bench/two-steps.md",
    "snippets/test-bench/keras2-two-steps.md",
    "snippets/partial-batches/stateful-padding.md",
]


def run_drift(requirements, report, snippets=SNIPPETS):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.drift",
            "--requirements",
            str(requirements),
            "--layer-on",
            SITE_PACKAGES,
            "--report",
            str(report),
            "--snippets",
            *snippets,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_no_drift_against_the_pins(tmp_path):
    done = run_drift(REQUIREMENTS, tmp_path / "report.md")
    assert done.returncode == 0, done.stderr
    assert "drift: no drift: all 3 snippet blocks print the same" in done.stdout, done.stdout
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Drift report")


def test_an_impossible_environment_is_an_error_of_its_own(package_index, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        REQUIREMENTS.read_text(encoding="utf-8").replace("keras==3.15.1", "keras==3.0.0"),
        encoding="utf-8",
    )
    done = run_drift(requirements, tmp_path / "report.md")
    assert done.returncode == 2
    assert "drift: error: could not install the requirements" in done.stderr
    # pip's own reason: the conflict, not any failure (an unreachable index, a typo)
    assert "Cannot install keras==3.0.0 and tensorflow==2.21.0" in done.stderr, done.stderr
    assert "ResolutionImpossible" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "report.md").exists()


def test_a_missing_snippet_is_an_error_of_its_own(tmp_path):
    done = run_drift(REQUIREMENTS, tmp_path / "report.md", ["snippets/nowhere.md"])
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "drift: error: no snippet file snippets/nowhere.md (give paths from the repository root)"
    )


def test_a_different_keras_gives_a_real_report(package_index, tmp_path):
    # Keras 3.12.0 is the oldest release TensorFlow 2.21 accepts. Measured: the stateful
    # RNN snippet raises there (OperatorNotAllowedInGraphError in SimpleRNN.call), the
    # other blocks print the same as on the pinned 3.15.1.
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        REQUIREMENTS.read_text(encoding="utf-8").replace("keras==3.15.1", "keras==3.12.0"),
        encoding="utf-8",
    )
    report = tmp_path / "report.md"
    done = run_drift(requirements, report)
    assert done.returncode == 0, done.stderr
    assert "drift: 0 snippet block(s) would change and 1 now raise(s), 2 unchanged" in done.stdout
    assert "keras 3.12.0" in done.stdout
    text = report.read_text(encoding="utf-8")
    assert "## Now raises" in text
    assert "### `snippets/partial-batches/stateful-padding.md:1`" in text
    assert "Pages: docs/ja/partial-batches.md, docs/en/partial-batches.md" in text
