"""The test command's groups really keep their tests on one pytest-xdist worker.

The run relies on ``--dist loadgroup`` (pyproject.toml): each snippet file's blocks run
in order in one process (conftest.py), each page's browser tests read that page's one
visit (tests/test_browser.py), and the notebook tests share one kernel run
(tests/test_notebooks.py). When the group is lost nothing fails by itself: the tests
spread over the workers and each worker repeats the shared work. That happened with
pytest 9.2.0 and pytest-xdist 3.8.0 (pytest-dev/pytest-xdist#1386: xdist marks the
group by rewriting the item's node id, which pytest 9.2 no longer reads). This checks,
with the installed pytest and pytest-xdist, on a probe suite of its own.
"""

import os
import subprocess
import sys
from collections import defaultdict
from types import SimpleNamespace

from tools.snippets import ROOT

PROBE = """
import os
import pytest


def record(name):
    with open(os.environ["WORKERS_FILE"], "a") as out:
        out.write(f"{name} {os.environ.get('PYTEST_XDIST_WORKER', 'none')}\\n")


@pytest.mark.parametrize("i", range(6))
@pytest.mark.xdist_group("one")
def test_one(i):
    record(f"one-{i}")


@pytest.mark.parametrize("i", range(6))
@pytest.mark.xdist_group("two")
def test_two(i):
    record(f"two-{i}")


@pytest.mark.parametrize("i", range(12))
def test_free(i):
    record(f"free-{i}")
"""


def test_tests_of_one_group_run_on_one_worker(tmp_path):
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    workers_file = tmp_path / "workers.txt"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        + ["-n", "2", "--dist", "loadgroup", "test_probe.py"],
        cwd=tmp_path,
        env={**os.environ, "WORKERS_FILE": str(workers_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    by_group = defaultdict(set)
    for line in workers_file.read_text(encoding="utf-8").splitlines():
        name, worker = line.split()
        by_group[name.split("-")[0]].add(worker)
    # xdist hands each worker a first unit of work before any test runs, so both are used
    # (which worker takes the ungrouped tests afterwards depends on their speed).
    used = set().union(*by_group.values())
    assert used == {"gw0", "gw1"}, f"the probe did not run on 2 workers: {dict(by_group)}"
    split = {group: sorted(by_group[group]) for group in ("one", "two") if len(by_group[group]) > 1}
    assert not split, (
        f"tests of one xdist_group ran on several workers: {split}; the installed pytest "
        "and pytest-xdist do not keep groups together (pytest-dev/pytest-xdist#1386)"
    )


def test_auto_starts_one_worker_more_than_the_cores(request):
    # The hook of the repository's conftest.py, as pytest registered it for this run.
    root_conftest = next(
        plugin
        for plugin in request.config.pluginmanager.get_plugins()
        if getattr(plugin, "__file__", None) == str(ROOT / "conftest.py")
    )

    def workers(numprocesses):
        option = SimpleNamespace(numprocesses=numprocesses)
        return root_conftest.pytest_xdist_auto_num_workers(SimpleNamespace(option=option))

    assert workers("auto") == root_conftest.usable_cores() + 1
    assert 1 <= root_conftest.usable_cores() <= (os.cpu_count() or 1)
    assert workers("logical") is None  # pytest-xdist counts the logical cores itself
