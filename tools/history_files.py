"""The committed history files: what each snippet printed on past Keras releases.

``history/<topic>/<name>.yml`` per snippet, written by ``python -m tools.history`` only
(write_all), read by the checks (check_history), the page notes and the versions page
(tools.history_pages). A file holds, per executed block of the snippet, the hash of the
block's code when it ran and, per backend (``tensorflow``; ``jax`` for the snippets with
a JAX output file), the distinct outcomes with the releases that printed each::

    tensorflow:
    - releases: 3.0.5–3.1.0
      printed: |
        ...
    - releases: 3.1.1–3.15.1
      printed: |
        ...

An outcome is either ``printed`` (the block's stdout) or ``raised`` (the first line of
the exception). ``releases`` lists ranges of consecutive releases of the history
(tools.history_releases.RELEASES, oldest first), separated by ``, ``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.history_releases import Release, releases_of
from tools.snippets import (
    ROOT,
    SnippetError,
    backend_output_path,
    is_keras2,
    parse_backend_output,
    parse_snippet,
    rel,
    snippet_files,
)

#: Hex digits kept of each block's code hash.
BLOCK_HASH_LENGTH = 16
#: Where the history files live, relative to the repository root.
FOLDER = "history"
HEADER = (
    "# What {snippet} printed on each release of the Keras history.\n"
    "# Written by `python -m tools.history` (make history); never edit it by hand.\n"
)
RANGE = "\u2013"  # en dash between the first and last release of a range


def block_codes(snippet: Path) -> list[str]:
    """Return the hash of each executed block (info string and code) of a snippet.

    Raises:
        SnippetError: the snippet cannot be read or parsed.
    """
    return [
        hashlib.sha256(f"{b.code.info}\n{b.code.body}".encode()).hexdigest()[:BLOCK_HASH_LENGTH]
        for b in parse_snippet(snippet)
        if b.code.executed and b.output is not None
    ]


def history_path(snippet: str | Path, root: Path = ROOT) -> Path:
    """Return the history file of a snippet (``snippets/a/b.md`` -> ``history/a/b.yml``)."""
    name = Path(snippet).resolve().relative_to(Path(root).resolve() / "snippets")
    return Path(root) / FOLDER / name.with_suffix(".yml")


def package_of(snippet: Path) -> str:
    """Return the package whose releases a snippet's history covers (Keras 2: tf-keras)."""
    return "tf-keras" if is_keras2(parse_snippet(snippet)) else "keras"


def backends_of(snippet: Path) -> tuple[str, ...]:
    """Return the backends a snippet's history covers (JAX where it has a JAX output file)."""
    if package_of(snippet) == "keras" and backend_output_path(snippet, "jax").is_file():
        return ("tensorflow", "jax")
    return ("tensorflow",)


def format_ranges(labels: list[str], order: list[str]) -> str:
    """Return ``labels`` as ranges of consecutive releases of ``order``: ``3.0.5–3.1.0, 3.7.0``."""
    places = sorted(order.index(label) for label in labels)
    groups: list[list[int]] = []
    for place in places:
        if groups and place == groups[-1][-1] + 1:
            groups[-1].append(place)
        else:
            groups.append([place])
    return ", ".join(
        order[g[0]] if len(g) == 1 else f"{order[g[0]]}{RANGE}{order[g[-1]]}" for g in groups
    )


def parse_ranges(text: str, order: list[str]) -> list[str]:
    """Return the releases that ``format_ranges`` wrote as ``text``.

    Raises:
        ValueError: a release that ``order`` does not hold, or a range that runs backwards.
    """
    labels = []
    for part in text.split(", "):
        first, _, last = part.partition(RANGE)
        start, end = order.index(first), order.index(last or first)
        if end < start:
            raise ValueError(f"range {part} runs backwards")
        labels += order[start : end + 1]
    return labels


@dataclass
class Outcome:
    """One distinct outcome of a block: what it printed, or the line of what it raised.

    ``varied`` holds, instead, the different outcomes of the runs of releases on which
    the block did not print the same in every run (each as ``text()`` gives it).
    """

    releases: list[str]  # versions of the package, oldest first
    printed: str | None
    raised: str | None
    varied: list[str] | None = None

    def text(self) -> str:
        """What a reader saw: the stdout, or ``raised <error>``."""
        return self.printed if self.raised is None else f"raised {self.raised}"


@dataclass
class BlockHistory:
    """The history of one executed block."""

    code: str
    outcomes: dict[str, list[Outcome]]  # backend -> outcomes, by first release


@dataclass
class History:
    """The history file of one snippet."""

    snippet: str
    package: str
    blocks: list[BlockHistory]

    def order(self) -> list[str]:
        """Return the versions of the releases this history covers, oldest first."""
        return [release.version for release in releases_of(self.package)]


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks (``|``), readable in a diff."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _fields(outcome: Outcome) -> dict:
    if outcome.varied is not None:
        return {"varied": outcome.varied}
    if outcome.raised is not None:
        return {"raised": outcome.raised}
    return {"printed": outcome.printed}


def render(history: History) -> str:
    """Return the text of a history file (as ``python -m tools.history`` writes it)."""
    blocks = []
    for block in history.blocks:
        entry: dict = {"code": block.code}
        for backend, outcomes in block.outcomes.items():
            entry[backend] = [
                {"releases": format_ranges(o.releases, history.order())} | _fields(o)
                for o in outcomes
            ]
        blocks.append(entry)
    data = {"snippet": history.snippet, "package": history.package, "blocks": blocks}
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER.format(snippet=history.snippet) + body


def parse(path: Path) -> History:
    """Read a history file.

    Raises:
        SnippetError: unreadable, not YAML, or not shaped as render() writes it.
    """
    parts = Path(path).parts
    where = (
        "/".join(parts[len(parts) - 1 - parts[::-1].index(FOLDER) :])
        if FOLDER in parts
        else rel(path)
    )
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        order = [r.version for r in releases_of(data["package"])]
        blocks = []
        for entry in data["blocks"]:
            outcomes = {}
            for backend in [k for k in entry if k != "code"]:
                outcomes[backend] = [
                    Outcome(
                        parse_ranges(o["releases"], order),
                        o.get("printed"),
                        o.get("raised"),
                        [str(text) for text in o["varied"]] if "varied" in o else None,
                    )
                    for o in entry[backend]
                ]
            blocks.append(BlockHistory(str(entry["code"]), outcomes))
        return History(str(data["snippet"]), data["package"], blocks)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SnippetError(f"{where}: cannot read: {error}".splitlines()[0]) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SnippetError(
            f"{where}: not a history file as make history writes it ({type(error).__name__}: "
            f"{error})"
        ) from None


def from_caches(snippet: Path, caches: dict[Release, dict], root: Path = ROOT) -> History:
    """Build a snippet's history from the releases' cached raw results (first run of each).

    Raises:
        SnippetError: a release has no result for the snippet's current code.
    """
    name = Path(snippet).relative_to(root).as_posix()
    package = package_of(snippet)
    codes = block_codes(snippet)
    blocks = [BlockHistory(code, {}) for code in codes]
    for backend in backends_of(snippet):
        for index, block in enumerate(blocks):
            found: dict[tuple, list[str]] = {}
            for release in releases_of(package):
                kept = caches[release]["blocks"].get(backend, {}).get(name)
                if not kept or kept["code"] != codes:
                    raise SnippetError(f"{name}: no result of its current code on {release.label}")
                seen = [(run[index]["printed"], run[index]["error"]) for run in kept["runs"]]
                distinct = list(dict.fromkeys(seen))
                key = distinct[0] if len(distinct) == 1 else ("varied", tuple(distinct))
                found.setdefault(key, []).append(release.version)
            block.outcomes[backend] = [_outcome(key, labels) for key, labels in found.items()]
    return History(name, package, blocks)


def _outcome(key: tuple, labels: list[str]) -> Outcome:
    if key[0] == "varied":
        texts = [Outcome([], p, e).text() for p, e in key[1]]
        return Outcome(labels, None, None, texts)
    printed, error = key
    return Outcome(labels, printed if error is None else None, error)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".history-")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(temporary, path)


def write_all(caches: dict[Release, dict], root: Path = ROOT) -> list[str]:
    """Write every snippet's history file from the caches; remove those of no snippet.

    Every text is built before anything is written, so a failure writes nothing.

    Returns:
        One line per file written or removed.

    Raises:
        SnippetError: as from_caches.
    """
    texts = {
        history_path(p, root): render(from_caches(p, caches, root)) for p in snippet_files(root)
    }
    changed = []
    for path, text in texts.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomically(path, text)
            changed.append(f"written: {path.relative_to(root).as_posix()}")
    for path in sorted((Path(root) / FOLDER).rglob("*.yml")):
        if path not in texts:
            path.unlink()
            changed.append(f"removed: {path.relative_to(root).as_posix()}")
    return changed


def pin_outcome(outcomes: list[Outcome], package: str) -> Outcome | None:
    """Return the outcome of the pinned release (the newest of the history)."""
    pin = releases_of(package)[-1].version
    return next((o for o in outcomes if pin in o.releases), None)


def expected_output(snippet: Path, backend: str, index: int) -> str | None:
    """Return the verified output of a block on a backend (None: cannot be read)."""
    try:
        if backend == "jax":
            return parse_backend_output(backend_output_path(snippet, "jax")).outputs[index].body
        blocks = [b for b in parse_snippet(snippet) if b.code.executed and b.output is not None]
        return blocks[index].output.body
    except (SnippetError, IndexError, OSError):
        return None


def check_history(root: Path = ROOT) -> list[str]:
    """The history files hold every snippet's current code, and its pinned outputs.

    Per snippet: a history file exists, reads as make history writes it, covers the
    releases of tools.history_releases and the snippet's backends, records the hash of
    each block's current code, and its pinned release's outcome is the output the snippet
    (or its JAX output file) shows now. A history file of no snippet is reported too.
    Nothing is installed or run: this is the check of the test command and CI.
    """
    root = Path(root)
    problems = []
    fix = "run make history"
    snippets = snippet_files(root)
    expected_files = set()
    for snippet in snippets:
        name = snippet.relative_to(root).as_posix()
        path = history_path(snippet, root)
        expected_files.add(path)
        where = path.relative_to(root).as_posix()
        if not path.is_file():
            problems.append(f"{name}: no history recorded ({where} is missing); {fix}")
            continue
        try:
            history = parse(path)
            codes = block_codes(snippet)
            package = package_of(snippet)
            backends = backends_of(snippet)
        except SnippetError as error:
            problems.append(str(error))
            continue
        if render(history) != path.read_text(encoding="utf-8") or history.snippet != name:
            problems.append(f"{where}: not as make history writes it (edited by hand?); {fix}")
            continue
        if history.package != package:
            problems.append(f"{where}: covers {history.package} releases, {name} runs {package}")
            continue
        if [b.code for b in history.blocks] != codes:
            problems.append(
                f"{where}: recorded from other code than {name} holds now; its history is stale: "
                f"{fix}"
            )
            continue
        order = history.order()
        for index, block in enumerate(history.blocks):
            if tuple(block.outcomes) != backends:
                problems.append(
                    f"{where}: block {index + 1} has a history on {', '.join(block.outcomes)}, "
                    f"the snippet runs on {', '.join(backends)}; {fix}"
                )
                continue
            for backend, outcomes in block.outcomes.items():
                covered = sorted(label for o in outcomes for label in o.releases)
                if covered != sorted(order):
                    problems.append(
                        f"{where}: block {index + 1} on {backend} does not cover each release "
                        f"of the history once; {fix}"
                    )
                    continue
                pin = pin_outcome(outcomes, package)
                want = expected_output(snippet, backend, index)
                if pin is None or pin.raised is not None or pin.varied or pin.printed != want:
                    shown = name if backend == "tensorflow" else f"{name} (JAX output file)"
                    problems.append(
                        f"{where}: block {index + 1} on {backend}: the pinned release "
                        f"{order[-1]} printed something else than {shown} shows now; {fix}"
                    )
    for path in sorted((root / FOLDER).rglob("*.yml")):
        if path not in expected_files:
            problems.append(f"{path.relative_to(root).as_posix()}: history of no snippet; {fix}")
    return problems
