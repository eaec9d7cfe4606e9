"""A snippet whose output block is wrong fails, and says where and what differs."""

import os
import subprocess
import sys

from tests.conftest import edit

SNIPPET = "snippets/test-bench/two-steps.md"


def test_one_changed_digit_fails_with_file_pages_and_expected_vs_actual(site_copy):
    edit(site_copy / SNIPPET, "9, 0, 1, 2, 3]\n```", "9, 0, 1, 2, 4]\n```")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", SNIPPET],
        cwd=site_copy,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert f"snippet {SNIPPET}, code block at line 1" in out
    assert "included by: docs/ja/test-bench.md, docs/en/test-bench.md" in out
    assert "Expected output" in out and "but got" in out
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 4]" in out  # expected
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]" in out  # actual
    assert "1 failed" in out
    lines = out.splitlines()  # the diff of expected against actual, line by line
    assert "--- expected" in lines and "+++ actual" in lines
    assert "-[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 4]" in lines
    assert "+[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]" in lines
