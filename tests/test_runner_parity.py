"""Our runner runs a block as pytest-codeblocks does, and a failure shows the real diff.

tools.refresh.run_code (used by make refresh, and through tools.snippet_run by make
backends and make drift) re-implements how pytest-codeblocks 0.18.0 executes a block,
and conftest.output_diff parses pytest-codeblocks' failure message. Both are checked
here against the real plugin, on a probe snippet that imports no Keras.
"""

import json
import os
import subprocess
import sys

from tests.conftest import edit

PROBE_CODE = """import os
import subprocess
import sys

print("__name__:", __name__)
print("globals:", sorted(globals()))
print("stdout:", type(sys.stdout).__name__)
print("not shown", file=sys.stderr)
subprocess.run([sys.executable, "-c", "print('a child writes to the real stdout')"])
sys.stdout.write("cwd: " + os.getcwd() + "\\n")
"""
PROBE = f"```python\n{PROBE_CODE}```\n\n<!--pytest-codeblocks:expected-output-->\n\n```text\n```\n"


def run(command, cwd, **kwargs):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_our_runner_and_pytest_codeblocks_give_a_block_the_same_world(site_copy):
    probe = site_copy / "snippets" / "probe.md"
    probe.write_text(PROBE, encoding="utf-8")
    # make refresh: run_code in the refresh process writes what the block printed.
    done = run([sys.executable, "-m", "tools.refresh", "snippets/probe.md"], site_copy)
    assert done.returncode == 0, done.stderr
    refreshed = probe.read_text(encoding="utf-8").split("```text\n", 1)[1].rsplit("```", 1)[0]
    assert "__name__: builtins\n" in refreshed
    assert "globals: ['__MODULE__', '__builtins__', 'os', 'subprocess', 'sys']\n" in refreshed
    assert "stdout: StringIO" in refreshed and "not shown" not in refreshed
    assert "a child writes" not in refreshed  # only sys.stdout is captured
    assert f"cwd: {site_copy}\n" in refreshed
    # make backends / make drift: the same blocks through tools.snippet_run, in a child.
    out = site_copy / "results.json"
    done = run(
        [sys.executable, "-m", "tools.snippet_run", str(out), "snippets/probe.md"], site_copy
    )
    assert done.returncode == 0, done.stderr
    (block,) = json.loads(out.read_text(encoding="utf-8"))["blocks"]
    assert (block["error"], block["printed"]) == (None, refreshed)
    # The test command: pytest-codeblocks must print exactly what our runner recorded.
    done = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "snippets/probe.md"],
        site_copy,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-3000:]


FAILING = (
    "```python\nprint('same')\nprint(1 + 1)\n```\n\n"
    "<!--pytest-codeblocks:expected-output-->\n\n```text\nsame\n3\n```\n"
)


def failure_diff(root):
    """Run pytest on a failing probe under ``root``; return the diff lines it shows."""
    (root / "snippets" / "probe.md").write_text(FAILING, encoding="utf-8")
    done = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "snippets/probe.md"],
        root,
    )
    assert done.returncode == 1 and "1 failed" in done.stdout, done.stdout[-3000:]
    lines = done.stdout.splitlines()
    if "--- expected" not in lines:
        return None
    start = lines.index("--- expected")
    return lines[start : start + 6]


def test_a_failing_block_shows_the_expected_and_actual_lines_as_a_diff(site_copy):
    assert failure_diff(site_copy) == [
        "--- expected",
        "+++ actual",
        "@@ -1,2 +1,2 @@",
        " same",
        "-3",
        "+2",
    ]


def test_a_reworded_failure_message_loses_the_diff_and_is_caught(site_copy):
    # As if pytest-codeblocks worded its message otherwise: output_diff no longer finds
    # the actual output, and the test above fails instead of the diff vanishing quietly.
    edit(site_copy / "conftest.py", 'marker = "but got\\n```\\n"', 'marker = "but saw\\n```\\n"')
    assert failure_diff(site_copy) is None
