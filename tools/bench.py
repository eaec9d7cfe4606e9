"""Time the test command against its floor: a benchmark, not a test.

Usage: ``python -m tools.bench [--runs N] [--skip-full]`` (or ``make bench``). Each run
times, one after another in this checkout, with the tools of this interpreter's
environment:

- **bare pass**: every snippet once, in one process, nothing compared
  (``python -m tools.snippet_run``);
- **build**: one strict build of both languages (``mkdocs build --strict``), warm (after
  the first run's build, as in the test command);
- **snippets only**: the reader's quick check, ``pytest snippets``;
- **full**: the whole test command, ``pytest`` (what ``make test`` runs once installed).

The floor is bare pass + build. It prints one line per run, then the medians and the
ratios the project holds itself to (full <= 3x the floor and <= 5 minutes; snippets only
<= 1.3x a bare pass), and exits 0 whatever they are: timings depend on the machine and
on what else runs on it, so they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.snippets import ROOT

#: The targets of issue 19, as (what, limit) for the printed verdict.
FULL_OVER_FLOOR = 3.0
FULL_SECONDS = 300.0
SNIPPETS_OVER_BARE = 1.3


def timed(command: list[str], what: str) -> float:
    """Run ``command`` in the checkout; return its wall time in seconds.

    Raises:
        SystemExit: with one line naming ``what`` when the command fails (a benchmark of
            a failing command means nothing).
    """
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["(no output)"]
        raise SystemExit(f"bench: {what} failed (exit {done.returncode}): {tail[0]}")
    return seconds


def one_run(skip_full: bool) -> dict[str, float]:
    """Time each command once; return seconds by name."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        times = {
            "bare pass": timed(
                [python, "-m", "tools.snippet_run", str(Path(scratch) / "out.json")],
                "the bare pass",
            ),
            "build": timed(
                [python, "-m", "mkdocs", "build", "--strict", "-d", str(Path(scratch) / "site")],
                "the build",
            ),
        }
    times["snippets only"] = timed(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "snippets"], "pytest snippets"
    )
    if not skip_full:
        times["full"] = timed([python, "-m", "pytest", "-p", "no:cacheprovider", "-q"], "pytest")
    return times


def summary(runs: list[dict[str, float]]) -> list[str]:
    """Return the lines of the summary: medians, floor and ratios against the targets."""
    median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    floor = median["bare pass"] + median["build"]
    lines = [f"median of {len(runs)} run(s):"]
    lines += [f"  {name:<14} {seconds:7.1f} s" for name, seconds in median.items()]
    lines.append(f"  {'floor':<14} {floor:7.1f} s (bare pass + build)")
    quick = median["snippets only"] / median["bare pass"]
    lines.append(f"snippets only / bare pass = {quick:.2f} (target <= {SNIPPETS_OVER_BARE})")
    if "full" in median:
        ratio = median["full"] / floor
        lines.append(
            f"full / floor = {ratio:.2f} (target <= {FULL_OVER_FLOOR}); full = "
            f"{median['full'] / 60:.1f} min (target <= {FULL_SECONDS / 60:.0f})"
        )
    return lines


def main(argv: list[str]) -> int:
    """Run the benchmark; print each run and the summary. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of")
    parser.add_argument("--skip-full", action="store_true", help="leave out the full command")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs takes a whole number of at least 1")
    runs = []
    for number in range(1, args.runs + 1):
        runs.append(one_run(args.skip_full))
        shown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in runs[-1].items())
        print(f"run {number}: {shown}", flush=True)
    print("\n".join(summary(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
