"""A reader's own version: which outputs on the site differ with the Keras installed here?

Usage: ``python -m tools.mine [--backend NAME] [--lang en|ja] [SNIPPET ...]`` (or ``make
check-mine``), from the repository root, with the Python whose TensorFlow/Keras you use.
It runs every snippet (or the given snippet files) in a child process of that Python
(tools.snippet_run, the way the test command runs them) and prints, page by page, each
block whose output is not the one the site shows, with a short diff, or the one line of
the exception it raised; then one summary line. It writes no file of the repository.

Only what the snippets import is needed (TensorFlow and Keras, NumPy, Pillow; tf_keras
for the Keras 2 snippets, which are reported as not run without it); not the site's own
tooling (pytest, MkDocs).

The backend is ``--backend``, else ``KERAS_BACKEND``, else TensorFlow; a ``keras.json``
is ignored, as in the test command. On JAX or PyTorch a Keras 3 snippet is compared with
its output on that backend (``snippets/<topic>/<name>.<backend>.md``) where the site
keeps one (tools.backends.expected_outputs). Keras 2 snippets run tf_keras, on
TensorFlow, and compare with their own output block.

Exit status: 0 when every block printed what the site shows; 1 when some differ, raise
or could not run; 2 with one line for an error of the command itself (a bad argument, a
backend not installed, a snippet run that crashed).
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from tools import keras_env, versions
from tools.backends import expected_outputs
from tools.snippets import (
    BACKENDS,
    ROOT,
    SnippetError,
    including_pages,
    is_keras2,
    parse_snippet,
    rel,
    snippet_files,
)

#: The module each backend needs.
BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
#: A snippet run that takes longer than this is stopped (a full run takes minutes).
TIMEOUT = 3600
#: Code that runs tf_keras (Keras 2), directly or through TensorFlow's switch to it.
_USES_TF_KERAS = re.compile(r"\btf_keras\b|TF_USE_LEGACY_KERAS")
_MISSING_MODULE = re.compile(r"^ModuleNotFoundError: No module named '(?P<name>[^']+)'")


class MineError(Exception):
    """The command itself failed (not a snippet's output)."""


@dataclass
class Outcome:
    """One executed block compared with the site: what it printed against what is shown."""

    snippet: str
    line: int
    source: str  # the file the site's output comes from
    kind: str  # "same", "differs", "raises" or "not run"
    detail: list[str]  # the diff lines, the exception's line, or what is missing


def block_outcome(block: dict, want: str, source: str, needs: str | None = None) -> Outcome:
    """Compare one block of tools.snippet_run's results with the site's output ``want``.

    Args:
        block: one block of the results.
        want: the output the site shows for it.
        source: the file ``want`` comes from.
        needs: a package the block uses that is not installed here, if any: an error
            of the block is then reported as "not run" for want of it, with its line.
    """
    error = block.get("error")
    if error:
        missing = _MISSING_MODULE.match(error)
        if missing and "." in missing.group("name"):
            missing = None  # the package is there, without a module this code expects
        if needs and not missing:
            return Outcome(
                block["snippet"],
                block["line"],
                source,
                "not run",
                [f"needs {needs}, which is not installed here (it raised {error})"],
            )
        if missing:
            name = missing.group("name")
            return Outcome(
                block["snippet"],
                block["line"],
                source,
                "not run",
                [f"needs {name}, which is not installed here"],
            )
        return Outcome(block["snippet"], block["line"], source, "raises", [error])
    if block["printed"] == want:
        return Outcome(block["snippet"], block["line"], source, "same", [])
    diff = difflib.unified_diff(
        want.splitlines(),
        block["printed"].splitlines(),
        f"on the site ({source})",
        "printed here",
        lineterm="",
        n=1,
    )
    return Outcome(block["snippet"], block["line"], source, "differs", list(diff))


def compare(results: dict, backend: str, root: Path = ROOT) -> list[Outcome]:
    """Compare every block of tools.snippet_run's results with the site's outputs.

    A Keras 3 snippet on JAX or PyTorch is compared with its per-backend output file
    where there is one (tools.backends.expected_outputs); a Keras 2 snippet with its own
    output block.

    Raises:
        SnippetError: a snippet or its backend output file cannot be read.
    """
    outcomes = []
    by_snippet: dict[str, list[dict]] = {}
    for block in results["blocks"]:
        by_snippet.setdefault(block["snippet"], []).append(block)
    for snippet, blocks in by_snippet.items():
        path = root / snippet
        if any(block["line"] == 0 for block in blocks):  # the runner could not parse it
            raise SnippetError(blocks[0]["error"])
        parsed = parse_snippet(path)
        keras2 = is_keras2(parsed)
        expected, source = expected_outputs(path, "tensorflow" if keras2 else backend, root)
        codes = [b.code.body for b in parsed if b.code.executed and b.output is not None]
        for index, block in enumerate(blocks):
            want = expected[index] if index < len(expected) else ""
            code = codes[index] if index < len(codes) else ""
            needs = None
            if "tf-keras" not in results["versions"] and _USES_TF_KERAS.search(code):
                needs = "tf_keras"
            outcomes.append(block_outcome(block, want, source, needs))
    return outcomes


def page_title(page: Path) -> str:
    """Return the first ``# `` heading of a page, without its ``{ #id }``."""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip()
    return page.stem


def by_page(outcomes: list[Outcome], lang: str, root: Path = ROOT) -> dict[str, list[Outcome]]:
    """Group the outcomes that are not "same" under the first ``lang`` page showing them.

    Returns:
        ``{page path or "", [outcomes]}`` in page order; "" holds snippets no page shows.
    """
    pages = including_pages(root)
    grouped: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.kind == "same":
            continue
        shown = [p for p in pages.get(outcome.snippet, []) if p.startswith(f"docs/{lang}/")]
        grouped.setdefault(shown[0] if shown else "", []).append(outcome)
    return dict(sorted(grouped.items(), key=lambda item: (item[0] == "", item[0])))


def versions_text(found: dict[str, str], backend: str = "tensorflow") -> str:
    """Return ``name version, ...`` for the output packages in ``found``, and the backend's."""
    names = [n for n in versions.OUTPUT_PACKAGES if n in found]
    names += [backend] if backend != "tensorflow" and backend in found else []
    return ", ".join(f"{name} {found[name]}" for name in names) or "no Keras"


def render(results: dict, outcomes: list[Outcome], backend: str, lang: str, root: Path) -> str:
    """Return the report: one section per page with differences, then the summary line."""
    lines = []
    pages = including_pages(root)
    for page, found in by_page(outcomes, lang, root).items():
        title = page_title(root / page) if page else "Snippets no page shows"
        lines.append(f"== {title} ({page or 'no page'}) ==")
        for outcome in found:
            also = [p for p in pages.get(outcome.snippet, []) if p != page]
            where = f"{outcome.snippet}, block at line {outcome.line}"
            lines.append(
                f"{where}: {outcome.kind}" + (f" (also on {', '.join(also)})" if also else "")
            )
            lines += [f"    {text}" for text in outcome.detail]
        lines.append("")
    counts = {
        kind: sum(o.kind == kind for o in outcomes)
        for kind in ("same", "differs", "raises", "not run")
    }
    pins = versions.pinned_versions(root / "requirements.txt")
    site = ", ".join(f"{n} {pins[n]}" for n in versions.OUTPUT_PACKAGES if n in pins)
    installed = versions_text(results["versions"], backend)
    affected = len([page for page in by_page(outcomes, lang, root) if page])
    lines.append(
        f"mine: {counts['same']} of {len(outcomes)} blocks print what the site shows, "
        f"{counts['differs']} differ, {counts['raises']} raise, {counts['not run']} not run "
        f"({affected} page(s) affected), with {installed} on Keras backend {backend}; the "
        f"site shows {site}"
    )
    return "\n".join(lines)


def chosen_snippets(names: list[str], root: Path = ROOT) -> list[Path]:
    """Return the snippet files named (paths from the root), or every snippet.

    Raises:
        MineError: a name that is not a snippet file of the site.
    """
    if not names:
        return snippet_files(root)
    known = set(snippet_files(root))
    chosen = []
    for name in names:
        path = (root / name).resolve()
        if path not in known:
            raise MineError(f"no snippet file {name} (give paths such as snippets/training/fix.md)")
        chosen.append(path)
    return chosen


def run_snippets(snippets: list[Path], backend: str, root: Path = ROOT) -> dict:
    """Run the snippets in a child process of this Python; return snippet_run's results.

    The child's progress lines are passed on to standard error as they come.

    Raises:
        MineError: the child crashed or timed out; the message ends with its last line.
    """
    with tempfile.TemporaryDirectory(prefix="keras-mine-") as folder:
        out = Path(folder) / "results.json"
        env = {**os.environ, "PYTHONPATH": str(root)}
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        keras_env.pin(env, backend)  # KERAS_BACKEND, no keras.json or KERAS_MAX_* leaks
        command = [sys.executable, "-m", "tools.snippet_run", "--progress", str(out)]
        command += [rel(path) for path in snippets]
        with subprocess.Popen(
            command, cwd=root, env=env, stderr=subprocess.PIPE, text=True, errors="replace"
        ) as child:
            tail: deque[str] = deque(maxlen=5)
            for line in child.stderr:
                if line.startswith("[") and "] snippets/" in line:
                    print(f"mine: {line.rstrip()}", file=sys.stderr, flush=True)
                elif line.strip():
                    tail.append(line.rstrip())
            try:
                child.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                raise MineError(f"the snippet run timed out after {TIMEOUT} s") from None
        if child.returncode != 0 or not out.is_file():
            last = tail[-1] if tail else "no output"
            raise MineError(f"the snippet run failed (exit {child.returncode}): {last}")
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str], root: Path = ROOT) -> int:
    """Run the command; see the module docstring for arguments and exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.mine",
        description="Run every snippet with the Keras installed here and show, page by "
        "page, which outputs differ from the site's and how. Writes no file.",
    )
    parser.add_argument(
        "--backend",
        help="Keras backend (default: KERAS_BACKEND, else tensorflow); keras.json is ignored",
    )
    parser.add_argument(
        "--lang", choices=("en", "ja"), default="en", help="the pages to name (default: en)"
    )
    parser.add_argument("snippets", nargs="*", help="snippet files (default: every snippet)")
    args = parser.parse_args(argv)
    try:
        backend = args.backend or os.environ.get("KERAS_BACKEND") or "tensorflow"
        if backend not in BACKENDS:
            raise MineError(
                f"unknown Keras backend {backend!r}; choose one of {', '.join(BACKENDS)}"
            )
        if importlib.util.find_spec(BACKEND_MODULES[backend]) is None:
            raise MineError(f"backend {backend} is not installed here ({sys.executable})")
        if not any(importlib.util.find_spec(name) for name in ("keras", "tf_keras")):
            raise MineError(f"no Keras is installed here ({sys.executable}): pip install keras")
        snippets = chosen_snippets(args.snippets, root)
        results = run_snippets(snippets, backend, root)
        outcomes = compare(results, backend, root)
    except (MineError, SnippetError) as error:
        print(f"mine: error: {error}", file=sys.stderr)
        return 2
    print(render(results, outcomes, backend, args.lang, root))
    return 0 if all(o.kind == "same" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
