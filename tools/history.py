"""Run every snippet on past Keras releases and record what each printed.

Usage: ``python -m tools.history [--rerun RELEASE ...] [--only RELEASE ...] [--runs N]
[--list]`` (or ``make history``). For each release of RELEASES (the newest patch of every
Keras 3 minor from 3.0 to the pin, plus 3.1.0 and 3.15.0, the first releases of the
minors where a change landed, and the newest patch of every tf_keras minor from 2.15 to
the pin) it:

1. makes (once) a throwaway virtual environment per TensorFlow minor under
   ``~/.cache/keras-history/`` (``KERAS_HISTORY_HOME`` to move it) with tools.drift's
   make_environment: that TensorFlow, its tf_keras, the jax/jaxlib of ENVIRONMENTS, and
   what the runner needs; then swaps only ``keras`` in it for each Keras 3 release that
   runs on that TensorFlow (pip keeps TensorFlow, numpy, ml-dtypes, jax as they are);
2. runs the snippets there in one child process (tools.snippet_run, the way the test
   command runs them): the Keras 3 snippets with ``KERAS_BACKEND=tensorflow``, the ones
   with a JAX output file (``<name>.jax.md``) again with ``KERAS_BACKEND=jax``, and the
   Keras 2 snippets on each tf_keras release;
3. keeps each release's raw results (stdout, the line of what raised, stderr, per block,
   with the hash of the block's code) in ``.history-cache/<release>.json`` (gitignored,
   written atomically; ``KERAS_HISTORY_CACHE`` moves it). A release whose cache holds
   every snippet with its current code is not run again; one whose snippets changed
   runs only those; ``--rerun`` runs a release again from scratch;
4. once every release has results, writes ``history/<topic>/<name>.yml`` per snippet
   (tools.history_files): the distinct outputs of each block and the releases that
   printed them. Those files are written here only; tools.checks holds them to the
   snippets in the test command.

Each Keras 3 release runs on the TensorFlow of ENVIRONMENTS whose Requires-Dist accepts it
(TF 2.16: keras>=3.0.0, 2.17: >=3.2.0, 2.18/2.19: >=3.5.0, 2.20: >=3.10.0, 2.21:
>=3.12.0, read from the wheels' METADATA; numpy < 2 comes with TF 2.16/2.17's own pin).

Which Keras pull request made a change is not found here: tools.history_pages.CHANGES
names those found by hand, for the snippets the runs show changing at that release.

Exit status: 0 when every release ran (or was cached), whether or not every release has
run yet (the files are written once all have); 1 when a block's output varied between
the ``--runs`` of one release (reported; the files hold the first run); 2 with one line
for an error of the command (no pip, an unknown release, an environment that cannot be
made).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import history_files, keras_env
from tools.backends import keras3_snippets
from tools.drift import DriftError, make_environment, pip_install, run
from tools.history_releases import ENVIRONMENTS, RELEASES, Environment, Release
from tools.snippets import (
    ROOT,
    SnippetError,
    backend_output_path,
    is_keras2,
    parse_snippet,
    rel,
    snippet_files,
)

#: Where each release's raw results are kept (gitignored; ``KERAS_HISTORY_CACHE`` moves it).
CACHE = Path(os.environ.get("KERAS_HISTORY_CACHE", ROOT / ".history-cache"))
#: What the runner needs besides TensorFlow/Keras (tools.refresh runs blocks with
#: pytest-codeblocks' stdout capture; the image-folder snippets write images with Pillow).
RUNNER_REQUIREMENTS = ("pytest-codeblocks==0.18.0", "pillow==13.0.0")


class HistoryError(Exception):
    """The command itself failed (not a snippet's output)."""


def history_home() -> Path:
    """Return the folder of the throwaway environments (``KERAS_HISTORY_HOME``)."""
    return Path(os.environ.get("KERAS_HISTORY_HOME", Path.home() / ".cache" / "keras-history"))


def find_release(label: str) -> Release:
    """Return the release named ``label`` (``3.7.0``, ``tf_keras-2.18.0``, ``tf-keras==2.18.0``).

    Raises:
        HistoryError: no such release in RELEASES.
    """
    wanted = label.replace("==", "-").replace("tf-keras", "tf_keras").removeprefix("keras-")
    for release in RELEASES:
        if release.label == wanted:
            return release
    known = ", ".join(r.label for r in RELEASES)
    raise HistoryError(f"unknown release {label!r}; the history has {known}")


def environment_requirements(env: Environment, keras: str | None) -> str:
    """Return the requirements text an environment is made from."""
    lines = [f"tensorflow=={env.tensorflow}", f"tf-keras=={env.tf_keras}"]
    if keras:
        lines.append(f"keras=={keras}")
    if env.jax:
        lines += [f"jax=={env.jax}", f"jaxlib=={env.jax}"]
    return "\n".join([*lines, *RUNNER_REQUIREMENTS]) + "\n"


def ensure_environment(env: Environment, keras: str | None) -> Path:
    """Return the python of ``env``'s environment, made first if it is missing or stale.

    The environment records what it was made from in ``made-from.txt``, written last: a
    folder without it (an interrupted run) is removed and made again.

    Raises:
        HistoryError: venv or pip failed (pip's last lines in the message).
    """
    where = history_home() / env.name
    marker = where / "made-from.txt"
    spec = environment_requirements(env, None)
    python = where / "venv" / "bin" / "python"
    if marker.is_file() and marker.read_text(encoding="utf-8") == spec and python.exists():
        return python
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    try:
        python = make_environment(where, environment_requirements(env, keras), None)
    except DriftError as error:
        raise HistoryError(f"{env.name}: {error}") from None
    marker.write_text(spec, encoding="utf-8")
    return python


def installed(python: Path, package: str) -> str | None:
    """Return the version of ``package`` installed for ``python`` (None: not installed)."""
    done = subprocess.run(
        [
            str(python),
            "-c",
            f"from importlib import metadata; print(metadata.version({package!r}))",
        ],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def swap_keras(python: Path, env: Environment, version: str) -> None:
    """Install ``keras==version`` for ``python``, keeping everything else of ``env``.

    Raises:
        HistoryError: pip failed (TensorFlow's Requires-Dist refuses that Keras, say).
    """
    if installed(python, "keras") == version:
        return
    keep = [f"tensorflow=={env.tensorflow}", f"tf-keras=={env.tf_keras}"]
    for name in ("numpy", "ml-dtypes", "jax", "jaxlib"):
        if have := installed(python, name):
            keep.append(f"{name}=={have}")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(keep) + "\n")
    try:
        run(
            pip_install(python, f"keras=={version}", "-c", handle.name),
            f"install keras {version} beside tensorflow {env.tensorflow}",
        )
    except DriftError as error:
        raise HistoryError(str(error)) from None
    finally:
        os.unlink(handle.name)


def run_snippets(python: Path, backend: str, snippets: list[Path]) -> dict:
    """Run ``snippets`` for ``python`` with ``KERAS_BACKEND=backend``; return snippet_run's results.

    Raises:
        HistoryError: the runner itself failed.
    """
    with tempfile.TemporaryDirectory(prefix="keras-history-") as folder:
        out = Path(folder) / "results.json"
        # PYTHONHASHSEED: old releases raise errors that print a set ("Expected one of
        # {'sum', 'none', ...}" on Keras 3.0/3.1), in an order that changes from run to run.
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONPATH": str(ROOT),
            "PYTHONHASHSEED": "0",
        }
        keras_env.pin(env, backend)
        try:
            run(
                [str(python), "-m", "tools.snippet_run", str(out), *map(rel, snippets)],
                f"run the snippets on {backend}",
                cwd=ROOT,
                env=env,
            )
        except DriftError as error:
            raise HistoryError(str(error)) from None
        return json.loads(out.read_text(encoding="utf-8"))


def snippets_of(release: Release, backend: str, root: Path = ROOT) -> list[Path]:
    """Return the snippets a release runs on ``backend``."""
    if release.package == "tf-keras":
        return [p for p in snippet_files(root) if is_keras2(parse_snippet(p))]
    snippets = keras3_snippets(root)
    if backend == "jax":
        snippets = [p for p in snippets if backend_output_path(p, "jax").is_file()]
    return snippets


def backends_of(release: Release) -> tuple[str, ...]:
    """Return the backends a release runs on: TensorFlow, and JAX for Keras 3."""
    return ("tensorflow",) if release.package == "tf-keras" else ("tensorflow", "jax")


def cache_path(release: Release) -> Path:
    """Return the cache file of one release's raw results."""
    return CACHE / f"{release.label}.json"


def read_cache(release: Release) -> dict:
    """Return one release's cached results (an empty record when there are none)."""
    path = cache_path(release)
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass  # an unreadable cache is run again
    return {"release": release.label, "versions": {}, "blocks": {}}


def stale(cache: dict, backend: str, snippets: list[Path]) -> list[Path]:
    """Return the snippets whose cached results are missing or from other code."""
    kept = cache["blocks"].get(backend, {})
    return [p for p in snippets if kept.get(rel(p), {}).get("code") != history_files.block_codes(p)]


def is_stale(release: Release) -> bool:
    """True when a release's cache lacks a snippet's current code on one of its backends."""
    cache = read_cache(release)
    return any(stale(cache, b, snippets_of(release, b)) for b in backends_of(release))


def run_release(
    release: Release, runs: int = 1, rerun: bool = False, again: bool = False
) -> tuple[dict, list[str]]:
    """Run what ``release`` has not run yet; return (its cache record, variations found).

    A snippet's record: ``{"code": [block hashes], "runs": [[{"printed", "error",
    "stderr"} per block] per run]}``. With ``again``, every snippet runs once more and the
    run is added to those kept for the same code (a second run of the whole history, to
    see what varies between runs).

    Raises:
        HistoryError: as ensure_environment, swap_keras, run_snippets.
    """
    cache = (
        {"release": release.label, "versions": {}, "blocks": {}} if rerun else read_cache(release)
    )
    env = ENVIRONMENTS[release.environment]
    todo = {
        b: snippets_of(release, b) if again else stale(cache, b, snippets_of(release, b))
        for b in backends_of(release)
    }
    variations = []
    if not any(todo.values()):
        return cache, variations
    keras = release.version if release.package == "keras" else None
    python = ensure_environment(env, keras)
    if keras:
        swap_keras(python, env, keras)
    for backend, snippets in todo.items():
        if not snippets:
            continue
        results = [run_snippets(python, backend, snippets) for _ in range(runs)]
        versions = results[0]["versions"]
        cache["versions"][backend] = versions
        if release.package == "tf-keras" and versions.get("tf-keras") != release.version:
            raise HistoryError(f"{release.label}: ran tf-keras {versions.get('tf-keras')}")
        if release.package == "keras" and versions.get("keras") != release.version:
            raise HistoryError(f"{release.label}: ran keras {versions.get('keras')}")
        kept = cache["blocks"].setdefault(backend, {})
        for snippet in snippets:
            name = rel(snippet)
            per_run = [
                [
                    {k: b.get(k) for k in ("printed", "error", "stderr")}
                    for b in result["blocks"]
                    if b["snippet"] == name
                ]
                for result in results
            ]
            code = history_files.block_codes(snippet)
            if again and kept.get(name, {}).get("code") == code:
                per_run = kept[name]["runs"] + per_run
            kept[name] = {"code": code, "runs": per_run}
            outcomes = {json.dumps([(b["printed"], b["error"]) for b in r]) for r in per_run}
            if len(outcomes) > 1:
                variations.append(f"{name} on {release.label} ({backend}) varies between runs")
    history_files.write_atomically(
        cache_path(release), json.dumps(cache, indent=1, sort_keys=True) + "\n"
    )
    return cache, variations


def last_of_environments(releases: list[Release]) -> set[Release]:
    """Return the releases after which ``--prune`` removes their environment.

    That is, for each environment, the last of ``releases`` that runs in it.
    """
    last = {release.environment: release for release in releases}
    return set(last.values())


def main(argv: list[str]) -> int:
    """Run the command; see the module docstring for arguments and exit codes."""
    parser = argparse.ArgumentParser(prog="python -m tools.history", description=__doc__)
    parser.add_argument(
        "--rerun", nargs="+", default=[], help="run these releases again ('all': every one)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        help="run only these releases (the files are written once every release has run)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="run each release N times, each in a new process, and report outputs that vary",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="run every snippet once more and keep that run beside the cached ones (a block "
        "whose runs differ is recorded as varying)",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove each environment once its last release of this run has run (about 2.5 GB "
        "each; for CI runners with little disk)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the releases and their environments, run nothing"
    )
    args = parser.parse_args(argv)
    variations: list[str] = []
    try:
        if args.runs < 1:
            raise HistoryError(f"--runs must be at least 1, not {args.runs}")
        rerun = set(RELEASES) if args.rerun == ["all"] else {find_release(n) for n in args.rerun}
        only = [find_release(n) for n in args.only] or list(RELEASES)
        if args.list:
            for release in RELEASES:
                env = ENVIRONMENTS[release.environment]
                jax = f", jax {env.jax}" if env.jax and release.package == "keras" else ""
                print(f"{release.label}: on tensorflow {env.tensorflow}{jax}")
            return 0
        pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
        if pip.returncode != 0:
            raise HistoryError(f"no pip for {sys.executable}: it makes the environments")
        started = time.monotonic()
        for number, release in enumerate(only, 1):
            begun = time.monotonic()
            todo = release in rerun or args.again or is_stale(release)
            cache, found = run_release(release, args.runs, release in rerun, args.again)
            variations += found
            versions = cache["versions"].get("tensorflow", {})
            state = f"ran in {time.monotonic() - begun:.0f} s" if todo else "cached"
            print(
                f"history: [{number}/{len(only)}] {release.label}: {state} "
                f"(tensorflow {versions.get('tensorflow', '?')})",
                flush=True,
            )
            if args.prune and release in last_of_environments(only):
                shutil.rmtree(history_home() / release.environment, ignore_errors=True)
        for variation in variations:
            print(f"history: {variation}", file=sys.stderr)
        missing = [r.label for r in RELEASES if is_stale(r)]
        if missing:
            print(f"history: files not written: {len(missing)} release(s) still to run: ")
            print(f"history: {', '.join(missing)}")
            return 1 if variations else 0
        written = history_files.write_all({r: read_cache(r) for r in RELEASES})
        print(
            f"history: {len(written)} file(s) changed under history/ "
            f"({len(RELEASES)} releases, {time.monotonic() - started:.0f} s)"
        )
    except (HistoryError, SnippetError) as error:
        print(f"history: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("history: interrupted; the releases that finished stay cached", file=sys.stderr)
        return 2
    return 1 if variations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
