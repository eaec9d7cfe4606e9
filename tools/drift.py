"""Drift watch: would the site's outputs change with the newest TensorFlow/Keras?

Usage: ``python -m tools.drift [--requirements FILE] [--report FILE] [--layer-on DIR]
[--snippets FILE ...]`` (or ``make drift``). It creates a throwaway virtual environment, installs
requirements.txt there with tensorflow, keras and tf-keras left unpinned (so pip takes
the newest releases), or the given requirements file as it is, runs every snippet (or
only the given snippet files) in it (tools.snippet_run) and reports, per snippet block,
whether its output would change or whether it now raises, with a diff and the pages
that show it, and each warning a page quotes (tools/quoted_warnings.py) that its snippet
no longer gives, on stdout or stderr (quoted_warning_report).

The report goes to a Markdown file (default ``drift-report.md``) and, in GitHub
Actions, to the job summary; one summary line is printed. Exit status: 0 whenever
the comparison ran (drift or not); 2 only for errors of its own (the environment
could not be made, the packages not installed, the runner crashed).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import keras_env, quoted_warnings
from tools.snippets import ROOT, including_pages
from tools.versions import REQUIREMENTS, normalise

#: Packages the drift watch takes at their newest release instead of the pin.
WATCHED = ("tensorflow", "keras", "tf-keras")


class DriftError(Exception):
    """The drift watch itself failed (not a drift of the outputs)."""


def requirement_name(line: str) -> str:
    """Return the package name a requirements line starts with ("" for none)."""
    return re.split(r"[=<>!~;\s\[]", line.strip(), maxsplit=1)[0]


def unpinned_requirements(requirements: Path = REQUIREMENTS) -> str:
    """Return the requirements text with every WATCHED package unpinned.

    Pinned WATCHED packages lose their pin; those the file does not name are added,
    so the newest tensorflow, keras and tf-keras are always what the watch tries.
    """
    lines, seen = [], set()
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name = requirement_name(line)
        if name and normalise(name) in WATCHED:
            seen.add(normalise(name))
            lines.append(name)
        else:
            lines.append(line)
    lines += [name for name in WATCHED if name not in seen]
    return "\n".join(lines) + "\n"


def make_environment(where: Path, requirements_text: str, layer_on: Path | None) -> Path:
    """Create a virtual environment under ``where`` and install the requirements.

    Args:
        where: an empty folder for the environment.
        requirements_text: the pip requirements to install.
        layer_on: optional site-packages folder of an existing environment whose
            packages stay visible (a .pth file), so that only what differs is
            installed; pip never touches that folder.

    The environment gets no pip of its own: this interpreter's pip installs into it
    (``pip --python``, pip >= 22.3). Seeding pip into a new environment (``ensurepip``)
    took about 5 s of the 6 s it took to make one layered environment, measured here.

    Returns:
        Path of the environment's python executable.

    Raises:
        DriftError: venv or pip failed; the message ends with pip's last lines.
    """
    venv = where / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "create the environment")
    python = venv / "bin" / "python"
    if layer_on is not None:
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (Path(purelib) / "drift_layer.pth").write_text(f"{layer_on}\n", encoding="utf-8")
    requirements = where / "requirements.txt"
    requirements.write_text(requirements_text, encoding="utf-8")
    run(pip_install(python, "-r", str(requirements)), "install the requirements")
    return python


def pip_install(python: Path, *arguments: str) -> list[str]:
    """Return the command that installs ``arguments`` into the environment of ``python``.

    The environments of make_environment have no pip: this interpreter's pip installs
    into them (``pip --python``, pip >= 22.3), quietly.
    """
    return [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", *arguments]


def run(command: list[str], what: str, timeout: int = 3600, **kwargs) -> None:
    """Run ``command``; raise DriftError saying what failed, with its last lines."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        raise DriftError(f"could not {what}: timed out after {timeout} s") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        # pip's notes about unreachable extra index folders are noise here.
        tail = "\n".join([ln for ln in lines if not ln.startswith("WARNING: Location")][-5:])
        raise DriftError(f"could not {what} (exit {done.returncode}):\n{tail}")


def compare(results: dict) -> tuple[list[dict], list[dict], int]:
    """Split runner results into (changed, raising, unchanged count)."""
    changed, raising, unchanged = [], [], 0
    for block in results["blocks"]:
        if block.get("error"):
            raising.append(block)
        elif block["printed"] != block["expected"]:
            changed.append(block)
        else:
            unchanged += 1
    return changed, raising, unchanged


def report(results: dict, pins: str) -> tuple[str, str]:
    """Return (summary line, Markdown report) for the runner's results."""
    changed, raising, unchanged = compare(results)
    tested = ", ".join(f"{n} {v}" for n, v in results["versions"].items())
    if not changed and not raising:
        summary = f"drift: no drift: all {unchanged} snippet blocks print the same with {tested}"
    else:
        summary = (
            f"drift: {len(changed)} snippet block(s) would change and {len(raising)} now "
            f"raise(s), {unchanged} unchanged, with {tested}"
        )
    pages = including_pages(ROOT)
    lines = ["# Drift report", "", summary, "", f"Pinned: {pins}", ""]
    lines += history_column(results)
    for title, blocks in (("Now raises", raising), ("Output would change", changed)):
        if not blocks:
            continue
        lines += [f"## {title}", ""]
        for block in blocks:
            where = f"{block['snippet']}:{block['line']}"
            shown = ", ".join(pages.get(block["snippet"], [])) or "no page"
            lines += [f"### `{where}`", "", f"Pages: {shown}", ""]
            if block.get("error"):
                lines += ["```text", block["error"], "```", ""]
            else:
                diff = difflib.unified_diff(
                    block["expected"].splitlines(),
                    block["printed"].splitlines(),
                    "shown on the site",
                    "printed now",
                    lineterm="",
                )
                lines += ["```diff", *diff, "```", ""]
    summary, lines = quoted_warning_report(results, summary, lines)
    return summary, "\n".join(lines)


def quoted_warning_report(results: dict, summary: str, lines: list[str]) -> tuple[str, list[str]]:
    """Add the quoted warnings no longer given to the summary line and the report.

    Returns:
        (summary, report lines), unchanged when every quoted warning whose snippet ran
        is still given (tools.quoted_warnings.drift_lines).
    """
    section = quoted_warnings.drift_lines(results)
    if not section:
        return summary, lines
    gone = sum(1 for line in section if line.startswith("### "))
    # "no drift" would be untrue: outputs alike, a warning the pages quote is not.
    same = summary.replace("drift: no drift: ", "drift: ", 1)
    longer = f"{same}; {gone} quoted warning(s) changed or gone"
    return longer, [longer if line == summary else line for line in lines] + section


def history_column(results: dict) -> list[str]:
    """Return the report's section on a release the Keras history does not have yet.

    When the watch ran a keras or tf-keras newer than the newest release of the history
    (tools.history_releases) and some block printed something else than the site shows,
    that release would be a new column of the history: the section names it and the
    blocks, and says how to add it. Empty otherwise (nothing differs, or no new release).
    """
    from tools.history_releases import releases_of  # the watch's only use of the history

    changed, raising, _ = compare(results)
    new = []
    for package in ("keras", "tf-keras"):
        ran = results["versions"].get(package)
        known = [release.version for release in releases_of(package)]
        if ran and ran not in known and _version_key(ran) > _version_key(known[-1]):
            new.append(f"{package} {ran}")
    if not new or not (changed or raising):
        return []
    blocks = ", ".join(f"`{b['snippet']}:{b['line']}`" for b in raising + changed)
    return [
        "## New history column",
        "",
        f"{' and '.join(new)} is newer than the newest release of the Keras history and prints "
        f"something else in {len(raising) + len(changed)} block(s): {blocks}. Add it to "
        "`tools/history_releases.py` and run `make history` to record it as a new column.",
        "",
    ]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def pinned_summary(requirements: Path = REQUIREMENTS) -> str:
    """Return the pins of the WATCHED packages as one line."""
    pinned = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name = requirement_name(line)
        if name and normalise(name) in WATCHED:
            pinned.append(line.split("#")[0].strip())
    return ", ".join(pinned)


def main(argv: list[str]) -> int:
    """Run the drift watch; see the module docstring for arguments and exit codes."""
    parser = argparse.ArgumentParser(prog="python -m tools.drift", description=__doc__)
    parser.add_argument("--requirements", type=Path, help="install this file as is")
    parser.add_argument("--report", type=Path, default=ROOT / "drift-report.md")
    parser.add_argument("--layer-on", type=Path, help="reuse this site-packages folder")
    parser.add_argument(
        "--snippets", nargs="+", default=[], help="run only these snippet files (default: all)"
    )
    args = parser.parse_args(argv)
    try:
        if args.requirements is not None and not args.requirements.is_file():
            raise DriftError(f"no requirements file {args.requirements}")
        for name in args.snippets:
            if not (ROOT / name).is_file():
                raise DriftError(f"no snippet file {name} (give paths from the repository root)")
        text = (
            args.requirements.read_text(encoding="utf-8")
            if args.requirements
            else unpinned_requirements()
        )
        with tempfile.TemporaryDirectory(prefix="keras-drift-") as folder:
            python = make_environment(Path(folder), text, args.layer_on)
            out = Path(folder) / "results.json"
            env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
            keras_env.pin(env, "tensorflow")  # the snippets' outputs are TensorFlow's
            run(
                [str(python), "-m", "tools.snippet_run", str(out), *args.snippets],
                "run the snippets",
                cwd=ROOT,
                env=env,
            )
            results = json.loads(out.read_text(encoding="utf-8"))
    except DriftError as error:
        print(f"drift: error: {error}", file=sys.stderr)
        return 2
    summary, markdown = report(results, pinned_summary())
    args.report.write_text(markdown, encoding="utf-8")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
            out.write(markdown + "\n")
    print(summary)
    print(f"drift: report written to {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
