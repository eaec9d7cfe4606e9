"""Run the Keras 3 snippets on every Keras backend and check each backend's output.

Usage: ``python -m tools.backends [--refresh] [--backend NAME ...] [SNIPPET ...]`` (or
``make backends``, which installs requirements-backends.txt first). For each backend
(tensorflow, jax, torch) it starts one child process with ``KERAS_BACKEND=<backend>``
that runs the snippets one after another (tools.snippet_run, the way the test command
runs them), and compares what each block printed with that backend's verified output:

- TensorFlow: the snippet's own output block (the one the site shows and the test
  command checks);
- jax, torch: the backend output file ``snippets/<topic>/<name>.<backend>.md`` when the
  snippet has one (its output on that backend differs from TensorFlow's), else the
  snippet's own output block.

Keras 2 snippets (code in a ``LEGACY`` string run by tf_keras, which is TensorFlow
only) print the same on every backend and are not run.

With ``--refresh``, every block that ran writes the jax/torch backend output files: a
file is written where a backend prints something else than the snippet's output block
and removed where it prints the same. Nothing is written when a block raised, when
TensorFlow's output differs from the snippet (``make refresh`` fixes that), or when the
installed versions differ from the pins.

Each backend output file records in its header a hash of the snippet's code it was made
from (tools.snippets.code_hash), so the test command sees a file made from older code
without running any backend (tools.checks.check_backend_code). ``--add-code-hashes``
is the one-off that added the hash to the files written before: it rewrites the header
line only, with the same writer, and never an output.

With ``--order reverse`` the snippets run in reverse order, with ``--order isolated``
each in a process of its own; CI runs TensorFlow both ways, so that an output that
depends on what ran before it in the process (a layer name counter, a thread pool) is
reported like any other difference.

With ``--runs N`` each backend runs N times, each time in a new process, and a block
whose output is not the same in every run is reported: such an output cannot be
checked, and the snippet must print an invariant instead.

Exit status: 0 when every backend printed its verified output (or the refresh wrote
it); 1 with one report per differing or raising block (snippet, backend, diff); 2 with
one line for an error of the command itself (a backend not installed, a child that
crashed, a bad argument).
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import keras_env, versions
from tools.snippets import (
    BACKENDS,
    ROOT,
    SnippetError,
    backend_output_files,
    backend_output_path,
    backend_output_text,
    code_hash,
    is_keras2,
    parse_backend_output,
    parse_snippet,
    rel,
    snippet_files,
)

#: The module each backend needs, and the pins file that installs it.
BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
BACKEND_REQUIREMENTS = ROOT / "requirements-backends.txt"
#: A child that runs longer than this is stopped (one backend's full run takes ~1 min).
TIMEOUT = 1800


class BackendsError(Exception):
    """The command itself failed (not a snippet's output)."""


def keras3_snippets(root: Path = ROOT) -> list[Path]:
    """Return the snippets that run on Keras 3 (every snippet but the Keras 2 ones)."""
    return [path for path in snippet_files(root) if not is_keras2(parse_snippet(path))]


def expected_outputs(snippet: Path, backend: str, root: Path = ROOT) -> tuple[list[str], str]:
    """Return (one verified output per executed block, the file they come from).

    Raises:
        SnippetError: the backend output file cannot be read, names another snippet,
            or has not one output per executed block.
    """
    name = Path(snippet).relative_to(root).as_posix()
    blocks = [b for b in parse_snippet(snippet) if b.code.executed and b.output is not None]
    own = [b.output.body for b in blocks]
    other = backend_output_path(snippet, backend)
    if backend == "tensorflow" or not other.is_file():
        return own, name
    other_name = other.relative_to(root).as_posix()
    parsed = parse_backend_output(other)
    if parsed.source != name:
        raise SnippetError(f"{other_name}:1: names snippet {parsed.source}, not {name}")
    if len(parsed.outputs) != len(blocks):
        raise SnippetError(
            f"{other_name}: holds {len(parsed.outputs)} output(s) for the "
            f"{len(blocks)} executed block(s) of {name}"
        )
    return [fence.body for fence in parsed.outputs], other_name


def run_backend(backend: str, snippets: list[Path]) -> tuple[dict, float]:
    """Run ``snippets`` in one child process with ``KERAS_BACKEND=backend``.

    Returns:
        (tools.snippet_run's results, wall time in seconds).

    Raises:
        BackendsError: the child failed, timed out, or ran on another backend.
    """
    if not snippets:  # snippet_run would run every snippet
        raise BackendsError(f"{backend}: no snippet to run")
    with tempfile.TemporaryDirectory(prefix="keras-backends-") as folder:
        out = Path(folder) / "results.json"
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
            "PYTHONPATH": str(ROOT),
        }
        keras_env.pin(env, backend)  # KERAS_BACKEND, and no keras.json of the caller
        command = [sys.executable, "-m", "tools.snippet_run", str(out)]
        command += [rel(path) for path in snippets]
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise BackendsError(f"{backend}: the snippet run timed out after {TIMEOUT} s") from None
        elapsed = time.monotonic() - started
        if done.returncode != 0 or not out.is_file():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BackendsError(
                f"{backend}: the snippet run failed (exit {done.returncode}): {tail[0]}"
            )
        results = json.loads(out.read_text(encoding="utf-8"))
    # None: no snippet of this run imported Keras (a tf.data-only snippet run alone by
    # --order isolated), so none ran on another backend.
    if results.get("backend") not in (backend, None):
        raise BackendsError(
            f"{backend}: the snippets ran on Keras backend {results.get('backend')!r}"
        )
    return results, elapsed


#: How ``--order`` runs the snippets of one backend: ``file`` in one process in file order
#: (as the test command does), ``reverse`` in one process in reverse order, ``isolated``
#: each snippet in a process of its own. An output that differs between them depends on
#: what ran before it in the process (a layer counter, a thread pool, a cache).
ORDERS = ("file", "reverse", "isolated")


def run_in_order(backend: str, snippets: list[Path], order: str = "file") -> tuple[dict, float]:
    """Run ``snippets`` on ``backend`` in the given ORDERS; return run_backend's results.

    The blocks come back in file order whatever the order they ran in, so that runs in
    different orders compare block by block.

    Raises:
        BackendsError: as run_backend.
    """
    if order == "file":
        return run_backend(backend, snippets)
    if order == "reverse":
        results, elapsed = run_backend(backend, snippets[::-1])
    else:
        parts = [run_backend(backend, [snippet]) for snippet in snippets]
        results = {**parts[0][0], "blocks": [b for part, _ in parts for b in part["blocks"]]}
        elapsed = sum(seconds for _, seconds in parts)
    place = {rel(path): index for index, path in enumerate(snippets)}
    results["blocks"].sort(key=lambda block: (place[block["snippet"]], block["line"]))
    return results, elapsed


def check_installed(backends: list[str]) -> None:
    """Raise BackendsError when a backend's package cannot be imported here."""
    missing = [b for b in backends if importlib.util.find_spec(BACKEND_MODULES[b]) is None]
    if missing:
        raise BackendsError(
            f"backend(s) not installed: {', '.join(missing)}; `make backends` installs "
            f"{BACKEND_REQUIREMENTS.name} into .venv/"
        )


def version_drift() -> list[str]:
    """List the installed versions that differ from requirements(-backends).txt."""
    drift = versions.version_drift()
    pins = versions.pinned_versions(BACKEND_REQUIREMENTS)
    for name in ("jax", "jaxlib", "torch"):
        installed = versions.installed_version(name)
        # torch's CPU wheel is 2.13.0+cpu: the local label is not part of the pin.
        if name in pins and (installed or "").split("+")[0] != pins[name]:
            drift.append(f"{name} {installed or 'not installed'} (pinned {pins[name]})")
    return drift


def block_report(block: dict, backend: str, source: str, expected: str) -> str:
    """Return the readable report of one block that did not print its verified output."""
    where = f"{block['snippet']}:{block['line']}"
    if block.get("error"):
        return f"{where} on {backend}: the block raised {block['error']}"
    diff = difflib.unified_diff(
        expected.splitlines(),
        block["printed"].splitlines(),
        f"verified ({source})",
        f"printed with KERAS_BACKEND={backend}",
        lineterm="",
    )
    return f"{where} on {backend}: output differs\n" + "\n".join(diff)


def compare(backend: str, results: dict, root: Path = ROOT) -> tuple[int, list[str]]:
    """Compare one backend's results with its verified outputs (files under ``root``).

    Returns:
        (blocks that matched, reports of those that did not).
    """
    matched, reports = 0, []
    by_snippet: dict[str, list[dict]] = {}
    for block in results["blocks"]:
        by_snippet.setdefault(block["snippet"], []).append(block)
    for snippet, blocks in by_snippet.items():
        expected, source = expected_outputs(root / snippet, backend, root)
        for index, block in enumerate(blocks):
            want = expected[index] if index < len(expected) else ""
            if not block.get("error") and block["printed"] == want:
                matched += 1
            else:
                reports.append(block_report(block, backend, source, want))
    return matched, reports


def refresh_problems(backend: str, results: dict) -> list[str]:
    """Return what forbids writing ``backend``'s output files, one report each.

    That is any block that raised, and on TensorFlow any output that differs from the
    snippet's own block.
    """
    problems = []
    for block in results["blocks"]:
        if block.get("error"):
            problems.append(block_report(block, backend, "", ""))
        elif backend == "tensorflow" and block["printed"] != block["expected"]:
            problems.append(
                block_report(block, backend, block["snippet"], block["expected"])
                + "\n(TensorFlow's output is the snippet's own block: run `make refresh`)"
            )
    return problems


def apply(backend: str, results: dict, root: Path = ROOT) -> list[str]:
    """Write or remove ``backend``'s output files from its results; return what changed."""
    changed = []
    by_snippet: dict[str, list[dict]] = {}
    for block in results["blocks"]:
        by_snippet.setdefault(block["snippet"], []).append(block)
    for snippet, blocks in by_snippet.items():
        target = backend_output_path(root / snippet, backend)
        printed = [block["printed"] for block in blocks]
        if printed == [block["expected"] for block in blocks]:
            if target.is_file():
                target.unlink()
                changed.append(f"removed: {target.relative_to(root)}")
            continue
        text = backend_output_text(snippet, backend, printed, code_hash(root / snippet))
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(f"written: {target.relative_to(root)}")
    return changed


def add_code_hashes(root: Path = ROOT) -> list[str]:
    """Write the code hash into the header of backend output files that have none.

    A one-off for the files written before headers recorded the code they were made
    from (``--add-code-hashes``): it rewrites only the header line, with the same
    writer as ``--refresh`` (backend_output_text), and never an output. It trusts that
    the snippet's code is still the code the outputs came from, which ``make backends``
    checked when the files were last verified; a file that already records a hash is
    left alone (only ``--refresh`` may change it).

    Returns:
        One ``hashed: <file>`` line per file rewritten.

    Raises:
        SnippetError: a file or its snippet cannot be read.
        BackendsError: a file whose body is not what the writer would write, so that
            rewriting it would change more than its header.
    """
    changed = []
    for path in backend_output_files(root):
        parsed = parse_backend_output(path)
        if parsed.code is not None:
            continue
        old = path.read_text(encoding="utf-8")
        outputs = [fence.body for fence in parsed.outputs]
        new = backend_output_text(
            parsed.source, parsed.backend, outputs, code_hash(root / parsed.source)
        )
        if new.split("\n", 1)[1] != old.split("\n", 1)[1]:
            raise BackendsError(
                f"{path.relative_to(root)}: not as --refresh writes it; its header was not "
                "rewritten (run --refresh with the backends installed instead)"
            )
        path.write_text(new, encoding="utf-8")
        changed.append(f"hashed: {path.relative_to(root)}")
    return changed


def variations(backend: str, runs: list[dict]) -> list[str]:
    """Report each block whose output (or error) was not the same in every run.

    Such an output cannot be checked: the snippet must print what stays the same
    instead (an invariant), as read-ahead/trim-to-returned.md does.
    """
    reports = []
    for index, block in enumerate(runs[0]["blocks"]):
        seen = [run["blocks"][index] for run in runs]
        outcomes = [b.get("error") or b["printed"] for b in seen]
        distinct = list(dict.fromkeys(outcomes))
        if len(distinct) > 1:
            diff = difflib.unified_diff(
                distinct[0].splitlines(),
                distinct[1].splitlines(),
                "one run",
                "another run",
                lineterm="",
            )
            reports.append(
                f"{block['snippet']}:{block['line']} on {backend}: varies between runs "
                f"({len(distinct)} different outputs in {len(runs)} runs); print an "
                "invariant instead\n" + "\n".join(diff)
            )
    return reports


def main(argv: list[str]) -> int:
    """Run the command; see the module docstring for arguments and exit codes."""
    parser = argparse.ArgumentParser(prog="python -m tools.backends", description=__doc__)
    parser.add_argument("--refresh", action="store_true", help="write the backend outputs")
    parser.add_argument(
        "--backend",
        action="append",
        choices=BACKENDS,
        help="run only this backend (repeatable; default: all)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="run each backend this many times, each in a new process, and report any "
        "output that varies between runs (default: 1)",
    )
    parser.add_argument(
        "--order",
        choices=ORDERS,
        default="file",
        help="file: one process, file order (default, as the test command); reverse: one "
        "process, reverse order; isolated: each snippet in a process of its own. CI runs "
        "TensorFlow in the other two orders too: an output that changes depends on what "
        "ran before it",
    )
    parser.add_argument(
        "--add-code-hashes",
        action="store_true",
        help="one-off: record the snippet's code hash in the header of backend output files "
        "written before headers had one; rewrites the header only, runs nothing",
    )
    parser.add_argument("snippets", nargs="*", help="snippet files (default: every Keras 3 one)")
    args = parser.parse_args(argv)
    backends = args.backend or list(BACKENDS)
    try:
        if args.add_code_hashes:
            for line in add_code_hashes(ROOT):
                print(f"backends: {line}")
            return 0
        if args.runs < 1:
            raise BackendsError(f"--runs must be at least 1, not {args.runs}")
        check_installed(backends)
        if args.refresh and (drift := version_drift()):
            raise BackendsError(
                f"refresh refused: installed versions differ from the pins ({'; '.join(drift)})"
            )
        if args.snippets:
            snippets = []
            for name in args.snippets:
                path = (ROOT / name).resolve()
                if not path.is_file() or path not in snippet_files(ROOT):
                    raise BackendsError(f"no snippet file {name} (paths from the repository root)")
                snippets.append(path)
            snippets = [p for p in snippets if not is_keras2(parse_snippet(p))]
            if not snippets:
                raise BackendsError(
                    "no Keras 3 snippet among those given (Keras 2 snippets run tf_keras, "
                    "on TensorFlow only, and are not run here)"
                )
        else:
            snippets = keras3_snippets(ROOT)
        ran = {}
        reports: list[str] = []
        for backend in backends:
            runs = []
            for number in range(1, args.runs + 1):
                results, elapsed = run_in_order(backend, snippets, args.order)
                runs.append(results)
                print(
                    f"backends: {backend}: {len(results['blocks'])} blocks of {len(snippets)} "
                    f"snippets ran in {elapsed:.0f} s"
                    + ("" if args.order == "file" else f" ({args.order} order)")
                    + (f" (run {number} of {args.runs})" if args.runs > 1 else ""),
                    flush=True,
                )
            ran[backend] = runs[0]
            reports += variations(backend, runs)
        if args.refresh and not reports:
            for backend, results in ran.items():
                reports += refresh_problems(backend, results)
            if not reports:
                for backend, results in ran.items():
                    if backend != "tensorflow":
                        for line in apply(backend, results):
                            print(f"backends: {line}")
                print("backends: refreshed the backend output files")
                return 0
            print("backends: nothing was written", file=sys.stderr)
        elif args.refresh:
            print("backends: nothing was written", file=sys.stderr)
        else:
            for backend, results in ran.items():
                matched, found = compare(backend, results)
                reports += found
                print(f"backends: {backend}: {matched} blocks print their verified output")
    except (BackendsError, SnippetError) as error:
        print(f"backends: error: {error}", file=sys.stderr)
        return 2
    for report in reports:
        print(f"\n{report}", file=sys.stderr)
    if reports:
        print(f"\nbackends: {len(reports)} block(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
