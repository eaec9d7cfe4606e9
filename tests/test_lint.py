"""Our code and every snippet's code pass ruff (lint and format)."""

import subprocess
import sys

from tools.snippets import ROOT, parse_snippet, snippet_files

RUFF = [sys.executable, "-m", "ruff"]


def ruff(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*RUFF, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_python_code_is_linted_and_formatted():
    for args in (["check", "."], ["format", "--check", "."]):
        done = ruff(*args)
        assert done.returncode == 0, done.stdout + done.stderr


def test_snippets_are_formatted():
    # ruff's preview mode formats the Python blocks inside Markdown files.
    done = ruff("format", "--preview", "--check", "snippets")
    assert done.returncode == 0, done.stdout + done.stderr


def test_snippets_pass_the_linter(tmp_path):
    for path in snippet_files(ROOT):
        for block in parse_snippet(path):
            if block.code.info == "python":
                name = f"{path.relative_to(ROOT / 'snippets').with_suffix('')}_{block.code.start}"
                target = tmp_path / (name.replace("/", "__").replace("-", "_") + ".py")
                target.write_text(block.code.body, encoding="utf-8")
    # Snippets are read on a page: no docstring rules, the rest as for our code.
    done = ruff("check", "--config", str(ROOT / "pyproject.toml"), "--ignore", "D", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
