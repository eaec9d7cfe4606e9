"""The output refresher writes exactly what a run printed, and refuses bad input."""

from pathlib import Path

import pytest

from tools import refresh, versions
from tools.snippets import ROOT, parse_snippet, snippet_files

GOOD = (
    '```python\nprint("fresh")\n```\n\n'
    "<!--pytest-codeblocks:expected-output-->\n\n```text\nstale\n```\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def printed_by_the_test_run(path: Path):
    """A runner for refreshed_text() that gives each block what the test run printed.

    The snippet tests of this same run (pytest-codeblocks) pass only when a block printed
    exactly its output block, so that is what it printed; the probe test
    tests/test_runner_parity.py::test_our_runner_and_pytest_codeblocks_give_a_block_the_same_world
    shows refresh.run_code runs a block as pytest-codeblocks does. The round trip therefore
    runs no snippet a second time. Blocks are asked for in file order; a block of other
    code than the file's next one fails the test.
    """
    blocks = [b for b in parse_snippet(path) if b.code.executed and b.output is not None]
    queue = iter(blocks)

    def run(code: str, info: str) -> str:
        block = next(queue)
        assert (code, info) == (block.code.body, block.code.info), f"{path}: blocks out of order"
        return block.output.body

    return run


def test_the_whole_tree_round_trips_with_no_diff():
    paths = snippet_files(ROOT)
    assert len(paths) >= 30
    for path in paths:
        text = refresh.refreshed_text(path, run=printed_by_the_test_run(path))
        assert text == path.read_text(encoding="utf-8"), path


def test_only_the_output_block_changes_and_changed_files_are_listed(tmp_path, capsys):
    snippet = write(tmp_path / "a.md", "Intro kept as is.\n\n" + GOOD + "\nTail.\n")
    assert refresh.main([str(snippet)]) == 0
    assert snippet.read_text(encoding="utf-8") == (
        "Intro kept as is.\n\n" + GOOD.replace("stale", "fresh") + "\nTail.\n"
    )
    out = capsys.readouterr().out
    assert f"changed: {snippet}" in out
    assert "1 of 1 snippet files changed" in out


def test_an_unchanged_file_is_not_rewritten(tmp_path, capsys):
    snippet = write(tmp_path / "a.md", GOOD.replace("stale", "fresh"))
    before = snippet.stat().st_mtime_ns
    assert refresh.main([str(snippet)]) == 0
    assert snippet.stat().st_mtime_ns == before
    assert "0 of 1 snippet files changed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('```python\nprint("x")\n```\n', "has no <!--pytest-codeblocks:expected-output-->"),
        (GOOD.replace('print("fresh")', "1 / 0"), "raised ZeroDivisionError"),
        (
            GOOD.replace(
                "<!--pytest-codeblocks:expected-output-->", "<!--pytest-codeblocks:output-->"
            ),
            "malformed pytest-codeblocks marker",
        ),
        ("```python\nprint(1)\n", "code fence is never closed"),
        (
            GOOD.replace('print("fresh")', 'print("no newline", end="")'),
            "does not end with a newline",
        ),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys, text, message):
    fine = write(tmp_path / "a.md", GOOD)  # would change, but must not be written
    bad = write(tmp_path / "b.md", text)
    assert refresh.main([str(fine), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(str(bad) in line and message in line for line in err), err
    assert err[-1] == "refresh: nothing was written"
    assert fine.read_text(encoding="utf-8") == GOOD
    assert bad.read_text(encoding="utf-8") == text


def test_a_missing_snippet_file_is_refused(tmp_path, capsys):
    assert refresh.main([str(tmp_path / "nope.md")]) == 1
    assert "no such snippet file" in capsys.readouterr().err


def test_it_refuses_when_installed_versions_differ_from_the_pins(tmp_path, capsys, monkeypatch):
    pins = write(tmp_path / "requirements.txt", "keras==3.0.0\n")
    real_drift = versions.version_drift
    monkeypatch.setattr(versions, "version_drift", lambda: real_drift(pins))
    snippet = write(tmp_path / "a.md", GOOD)
    assert refresh.main([str(snippet)]) == 1
    err = capsys.readouterr().err
    assert "installed versions differ from requirements.txt" in err
    assert "keras 3.15.1 (pinned 3.0.0)" in err
    assert snippet.read_text(encoding="utf-8") == GOOD
