"""Our code and every snippet's code pass ruff (lint and format)."""

import ast
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


def legacy_code(body: str) -> str | None:
    """Return the Keras 2 code a block keeps in its module-level ``LEGACY`` string."""
    for node in ast.parse(body).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(target, "id", None) for target in node.targets] == ["LEGACY"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value.lstrip("\n")
    return None


def write_snippet_code(folder):
    """Write each snippet's Python code, and its Keras 2 code if any, as .py files."""
    written = []
    for path in snippet_files(ROOT):
        for block in parse_snippet(path):
            if block.code.info == "python":
                name = f"{path.relative_to(ROOT / 'snippets').with_suffix('')}_{block.code.start}"
                name = name.replace("/", "__").replace("-", "_")
                (folder / f"{name}.py").write_text(block.code.body, encoding="utf-8")
                legacy = legacy_code(block.code.body)
                if legacy is not None:
                    (folder / f"{name}_legacy.py").write_text(legacy, encoding="utf-8")
                    written.append(folder / f"{name}_legacy.py")
    return written


def test_keras2_code_in_snippets_is_formatted(tmp_path):
    # The Keras 2 code of a legacy snippet is a string, which ruff does not format.
    legacy = write_snippet_code(tmp_path)
    assert legacy, "no snippet holds Keras 2 code in a LEGACY string"
    done = ruff("format", "--check", "--config", str(ROOT / "pyproject.toml"), *map(str, legacy))
    assert done.returncode == 0, done.stdout + done.stderr


def test_snippets_pass_the_linter(tmp_path):
    # Keras 2 code kept in a LEGACY string is linted as a file of its own too.
    write_snippet_code(tmp_path)
    # Snippets are read on a page: no docstring rules, the rest as for our code.
    done = ruff("check", "--config", str(ROOT / "pyproject.toml"), "--ignore", "D", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
