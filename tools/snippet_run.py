"""Run every snippet in this interpreter and write what each block printed, as JSON.

Used by tools/drift.py inside a throwaway environment, by tools/backends.py once per
Keras backend (``KERAS_BACKEND``), and by tools/mine.py with a reader's own Keras:
``python -m tools.snippet_run [--progress] OUT.json [SNIPPET ...]`` (all snippets, or
only the given files). Blocks run exactly as in the test command (tools.refresh.run_code),
in the same order, in one process. Nothing is compared or written besides OUT.json.

Each block's standard error is recorded too, at the file descriptor (Python warnings,
logging, TensorFlow's C++ log and child processes alike), with a fresh memory of which
warnings were already shown, as pytest gives each test: a warning shown "once per place
in the code" is shown again in the next block, as it would be in a reader's own run of
that snippet. Only the Python standard library and what the snippets import are needed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from tools.refresh import run_code
from tools.snippets import ROOT, SnippetError, parse_snippet, rel, snippet_files


def error_line(error: BaseException) -> str:
    """Return one line that says what ``error`` was: ``Type: first line of message``.

    A message that holds a whole traceback (a Keras 2 snippet raises RuntimeError with
    its child process's stderr) gives the traceback's last line, the child's exception.
    Keras wraps an error raised inside a layer in "Exception encountered when calling
    layer ..." (Keras 3: "... calling X.call().") with the cause on the next line, in
    bold (ANSI codes, removed here); both are kept.
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # Keras 3 bolds the cause
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        return lines[-1]
    if len(lines) > 1 and lines[0].startswith("Exception encountered when calling"):
        return f"{type(error).__name__}: {lines[0]} {lines[1]}"
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


@contextlib.contextmanager
def captured_stderr() -> Iterator[list[str]]:
    """Send file descriptor 2 to a temporary file; yield a list that receives its text.

    Everything written to standard error meanwhile is captured: ``sys.stderr`` (warnings,
    logging handlers that hold it), C extensions and child processes that inherit the
    descriptor. The text is appended to the yielded list when the block ends.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    text: list[str] = []
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield text
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text.append(sink.read().decode("utf-8", errors="replace"))


def run_all(root: Path = ROOT, only: list[Path] | None = None, progress: bool = False) -> dict:
    """Run the executed blocks of every snippet under ``root``, or of ``only`` those files.

    Args:
        root: the repository root.
        only: the snippet files to run (default: every snippet).
        progress: print one line per snippet file to standard error before it runs.

    Returns:
        ``{"versions": {package: version}, "backend": name or None, "blocks":
        [{"snippet", "line", "expected", "printed", "stderr", "error"}]}`` where
        ``printed`` is None and ``error`` a one-line text when the block raised,
        ``stderr`` what the block wrote to standard error, and ``backend`` the Keras
        backend the blocks ran on (None when none of them imported Keras).
    """
    blocks = []
    paths = only if only is not None else snippet_files(root)
    for number, path in enumerate(paths, 1):
        if progress:
            print(f"[{number}/{len(paths)}] {rel(path)}", file=sys.stderr, flush=True)
        try:
            parsed = parse_snippet(path)
        except SnippetError as error:
            blocks.append({"snippet": rel(path), "line": 0, "error": str(error)})
            continue
        for block in parsed:
            if not block.code.executed or block.output is None:
                continue
            entry = {
                "snippet": rel(path),
                "line": block.code.start,
                "expected": block.output.body,
                "printed": None,
                "stderr": "",
                "error": None,
            }
            with captured_stderr() as stderr, warnings.catch_warnings():
                try:
                    entry["printed"] = run_code(block.code.body, block.code.info)
                except Exception as error:  # noqa: BLE001 - recorded, reported by the caller
                    entry["error"] = error_line(error)
            entry["stderr"] = stderr[0]
            blocks.append(entry)
    names = ("tensorflow", "keras", "tf-keras", "numpy", "jax", "jaxlib", "torch")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    keras = sys.modules.get("keras")
    backend = None
    if keras is not None:
        # Keras 3 says keras.config.backend(); Keras 2 (TensorFlow 2.15's) only
        # keras.backend.backend(), and its backend is always TensorFlow.
        config = getattr(keras, "config", None)
        backend = config.backend() if hasattr(config, "backend") else "tensorflow"
    return {"versions": found, "backend": backend, "blocks": blocks}


def main(argv: list[str]) -> int:
    """Write the results of run_all() to the JSON file named first in ``argv``.

    The other arguments, if any, are the snippet files to run (paths from the root);
    ``--progress`` first prints one line per snippet file to standard error.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    progress = bool(argv) and argv[0] == "--progress"
    argv = argv[1:] if progress else argv
    if not argv:
        print(
            "usage: python -m tools.snippet_run [--progress] OUT.json [SNIPPET ...]",
            file=sys.stderr,
        )
        return 2
    only = [ROOT / name for name in argv[1:]] or None
    results = run_all(ROOT, only, progress)
    Path(argv[0]).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
