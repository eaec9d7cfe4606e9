"""Run every snippet and rewrite its output block with exactly what the run printed.

Usage: ``python -m tools.refresh [SNIPPET.md ...]`` (default: every snippet), or
``make refresh``. Blocks run the way pytest-codeblocks runs them in the test command:
in one process, in the same file order, each with ``exec(code, {"__MODULE__":
"__main__"})`` and stdout captured. Only the text inside output fences changes; the
rest of each file stays byte for byte. Files are written only when every block ran,
each one atomically, so a failed refresh leaves the tree as it was.

It refuses, with one line per problem and exit status 1, when the installed versions
differ from the pins, when a code block has no output block, when a block raises, or
when a snippet cannot be parsed.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tools import keras_env, versions
from tools.snippets import ROOT, SnippetError, parse_snippet, rel, snippet_files

SHELLS = {"sh": None, "bash": "/bin/bash"}


def run_code(code: str, info: str) -> str:
    """Run one block as pytest-codeblocks 0.18.0 does and return what it printed.

    Its ``stdout_io`` swaps ``sys.stdout`` for a ``StringIO`` and back, which is what
    ``contextlib.redirect_stdout`` does; tests/test_runner_parity.py holds the two to the
    same world. Using the standard library keeps pytest-codeblocks out of the runner, so a
    reader's check of their own Keras (tools/mine.py) needs only what the snippets import.

    Args:
        code: the block's source.
        info: the fence info string, "python", "sh" or "bash".

    Returns:
        The captured stdout (python: ``sys.stdout`` only; shell: the process stdout).

    Raises:
        Exception: whatever the block raises; CalledProcessError for a failing shell.
    """
    if info == "python":
        with contextlib.redirect_stdout(io.StringIO()) as captured:
            exec(code, {"__MODULE__": "__main__"})
        return captured.getvalue()
    done = subprocess.run(
        code, shell=True, check=True, capture_output=True, executable=SHELLS[info]
    )
    return done.stdout.decode()


def refreshed_text(path: Path, run: Callable[[str, str], str] = run_code) -> str:
    """Run the blocks of one snippet file and return its text with new outputs.

    Args:
        path: the snippet file.
        run: runs one block (its source and fence info string) and returns what it
            printed; run_code by default. The test run passes the outputs its own run of
            the snippets printed, so that the round trip runs no snippet a second time.

    Raises:
        SnippetError: the file cannot be parsed, a run block has no output block, a
            block raises, or the printed text cannot be stored in a fence.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    replacements = []
    for block in parse_snippet(path):
        where = f"{rel(path)}:{block.code.start}"
        if not block.code.executed:
            continue
        if any(m.startswith("<!--") for m in block.code.markers) or "cont" in (block.code.markers):
            continue  # deliberately not run (pytest.mark...) or continued: left alone
        if block.output is None:
            raise SnippetError(
                f"{where}: code block has no <!--pytest-codeblocks:expected-output--> "
                "block after it"
            )
        try:
            printed = run(block.code.body, block.code.info)
        except Exception as error:  # noqa: BLE001 - reported as one line, not re-raised
            raise SnippetError(
                f"{where}: the block raised {type(error).__name__}: {error}"
            ) from None
        if printed and not printed.endswith("\n"):
            raise SnippetError(f"{where}: output does not end with a newline")
        if any(line.lstrip().startswith(("```", "~~~")) for line in printed.splitlines()):
            raise SnippetError(f"{where}: output holds a code fence line")
        replacements.append((block.output.start, block.output.end - 1, printed))
    for first, last, printed in reversed(replacements):
        lines[first:last] = [printed] if printed else []
    return "".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temporary file, then rename)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".refresh-")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(temporary, path)


def main(argv: list[str]) -> int:
    """Refresh the snippets named in ``argv`` (all when empty); return exit status."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras_env.pin(os.environ, "tensorflow")  # as the test command runs them
    drift = versions.version_drift()
    if drift:
        print(
            "refresh: refused: installed versions differ from requirements.txt "
            f"({'; '.join(drift)}); install the pins first (make test installs them)",
            file=sys.stderr,
        )
        return 1
    paths = [Path(a).resolve() for a in argv] or snippet_files(ROOT)
    new_texts, problems = {}, []
    for path in paths:
        if not path.is_file():
            problems.append(f"{rel(path)}: no such snippet file")
            continue
        try:
            new_texts[path] = refreshed_text(path)
        except SnippetError as error:
            problems.append(str(error))
    if problems:
        for problem in problems:
            print(f"refresh: {problem}", file=sys.stderr)
        print("refresh: nothing was written", file=sys.stderr)
        return 1
    changed = [p for p, t in new_texts.items() if p.read_text(encoding="utf-8") != t]
    for path in changed:
        write_atomically(path, new_texts[path])
        print(f"changed: {rel(path)}")
    print(f"refresh: {len(changed)} of {len(new_texts)} snippet files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
