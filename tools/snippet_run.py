"""Run every snippet in this interpreter and write what each block printed, as JSON.

Used by tools/drift.py inside a throwaway environment, and by tools/backends.py once per
Keras backend (``KERAS_BACKEND``): ``python -m tools.snippet_run OUT.json [SNIPPET ...]``
(all snippets, or only the given files). Blocks run exactly as
in the test command (tools.refresh.run_code), in the same order, in one process. Nothing
is compared or written besides OUT.json.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path

from tools.refresh import run_code
from tools.snippets import ROOT, SnippetError, parse_snippet, rel, snippet_files


def run_all(root: Path = ROOT, only: list[Path] | None = None) -> dict:
    """Run the executed blocks of every snippet under ``root``, or of ``only`` those files.

    Returns:
        ``{"versions": {package: version}, "backend": name or None, "blocks":
        [{"snippet", "line", "expected", "printed", "error"}]}`` where ``printed`` is
        None and ``error`` a one-line text when the block raised, and ``backend`` the
        Keras backend the blocks ran on (None when none of them imported Keras).
    """
    blocks = []
    for path in only if only is not None else snippet_files(root):
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
                "error": None,
            }
            try:
                entry["printed"] = run_code(block.code.body, block.code.info)
            except Exception as error:  # noqa: BLE001 - recorded, reported by drift.py
                entry["error"] = f"{type(error).__name__}: {error}".splitlines()[0]
            blocks.append(entry)
    names = ("tensorflow", "keras", "tf-keras", "numpy", "jax", "jaxlib", "torch")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    keras = sys.modules.get("keras")
    backend = keras.config.backend() if keras is not None else None
    return {"versions": found, "backend": backend, "blocks": blocks}


def main(argv: list[str]) -> int:
    """Write the results of run_all() to the JSON file named first in ``argv``.

    The other arguments, if any, are the snippet files to run (paths from the root).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not argv:
        print("usage: python -m tools.snippet_run OUT.json [SNIPPET ...]", file=sys.stderr)
        return 2
    only = [ROOT / name for name in argv[1:]] or None
    Path(argv[0]).write_text(json.dumps(run_all(ROOT, only), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
