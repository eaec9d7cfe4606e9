"""Draw each pitfall page's figure from the output block of a snippet.

A figure shows samples as numbered cells, grouped into batches, one row per call
or record, coloured by what happened to them (returned, pulled but never returned,
never returned at all...). Its data are read from the **output blocks** of snippets:
the text that the test run proves equals what the pinned Keras printed. So a figure
can only show what a real run printed, and changes when the output block changes.

For every figure and language, ``docs/<lang>/figures/<name>-light.svg`` and
``-dark.svg`` are written (tools/hooks/figures.py, at build time; not committed),
one for each of Material's colour schemes; pages show them with the
``#only-light`` / ``#only-dark`` suffixes. The SVGs keep their text as text
(``svg.fonttype: none``), so the browser draws it with the page's system fonts;
matplotlib lays it out with IPAexGothic (matplotlib-fontja), which has the Japanese
glyphs. They are deterministic: same output blocks, same bytes. Each file's second line
names what it was drawn from (render_key), so a build that finds the same key on disk
does not draw it again (about 2 s of every language's build, most of it matplotlib).

An output block that does not have the expected form raises FigureError with one
``path:line: what`` line naming the snippet.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from tools.history_files import write_atomically
from tools.snippets import (
    LANGUAGES,
    ROOT,
    SnippetError,
    is_backend_output,
    parse_backend_output,
    parse_snippet,
    rel,
)

FIGURE_DIR = "figures"
SCHEMES = ("light", "dark")


class FigureError(Exception):
    """A figure whose snippet output cannot be read; str() is ``path:line: what``."""


# --- Reading output blocks ---------------------------------------------------------


@dataclass
class Output:
    """The output block of a snippet: its lines, and where they are in the file."""

    name: str  # the snippet's path as the figure names it, relative to the root
    lines: list[str]
    first_line: int  # file line of lines[0]

    def fail(self, index: int | None, what: str) -> FigureError:
        """A FigureError pointing at line ``index`` of the block (or at the block)."""
        line = self.first_line + (index or 0)
        return FigureError(f"{self.name}:{line}: output block {what}")

    def match(self, pattern: str, index: int) -> re.Match:
        """Match ``pattern`` against line ``index`` or fail naming the line."""
        if index >= len(self.lines):
            raise self.fail(len(self.lines) - 1, f"ends early: expected a line like {pattern!r}")
        found = re.fullmatch(pattern, self.lines[index])
        if not found:
            raise self.fail(index, f"line {self.lines[index]!r} does not match {pattern!r}")
        return found

    def literal(self, text: str, index: int, depth: int):
        """Parse a list of ints (depth 1) or of lists of ints (depth 2) from a line."""
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = None
        ok = isinstance(value, list) and all(
            isinstance(v, int) if depth == 1 else isinstance(v, list) and self._ints(v)
            for v in value
        )
        if not ok:
            kind = "a list of ints" if depth == 1 else "a list of lists of ints"
            raise self.fail(index, f"has {text!r} where {kind} was expected")
        return value

    @staticmethod
    def _ints(values) -> bool:
        return all(isinstance(v, int) for v in values)


def read_output(root: Path, snippet: str) -> Output:
    """Return the output block of the first code block of ``snippet``.

    ``snippet`` may also be a backend output file (``<name>.<backend>.md``, written by
    ``python -m tools.backends --refresh``): then its first ``text`` block, what the
    snippet's first code block printed on that backend.

    Raises:
        FigureError: the snippet is missing, cannot be parsed, or has no output block.
    """
    path = Path(root) / snippet
    if not path.is_file():
        raise FigureError(f"{snippet}: snippet not found (a figure is drawn from it)")
    try:
        if is_backend_output(path):
            fences = parse_backend_output(path).outputs
        else:
            fences = [block.output for block in parse_snippet(path)]
    except SnippetError as error:  # named as the figure names it, also in a copy of the tree
        raise FigureError(str(error).replace(rel(path), snippet, 1)) from None
    if not fences or fences[0] is None:
        raise FigureError(f"{snippet}: no output block to draw the figure from")
    fence = fences[0]
    return Output(snippet, fence.body.splitlines(), fence.start + 1)


# --- What is drawn -----------------------------------------------------------------

#: How a cell is drawn, by what happened to its sample.
KINDS = (
    "data",
    "returned",
    "again",
    "extra",
    "lost",
    "missing",
    "aligned",
    "wrong",
    "trained",
    "untrained",
    "skipped",
    "unknown",
)


@dataclass
class Row:
    """One row of cells: a label, then batches (lists of (value, kind)) left to right."""

    label: str
    batches: list[list[tuple[int, str]]]
    offset: float = 0  # cells to skip before the first batch
    notes: list[str] = field(default_factory=list)  # one text per batch, right of it
    brackets: bool = True  # a bracket under each batch (False: the cells are not batches)


@dataclass
class Drawing:
    """Rows to draw, top to bottom."""

    rows: list[Row]


def cells(values, kind):
    """Return a batch whose cells all have the same kind."""
    return [(v, kind) for v in values]


def chunks(values, size):
    """Split values into batches of ``size`` (the last one may be shorter)."""
    return [values[i : i + size] for i in range(0, len(values), size)]


# --- The figures, one per page --------------------------------------------------------

#: Labels in each language: legend entries and row labels.
TEXT = {
    "ja": {
        "data": "元のデータ",
        "returned": "predict が返したサンプル",
        "again": "predict が返したサンプル(9 から 0 に折り返したあと)",
        "extra": "返されたが余分なサンプル(次の周回の先頭)",
        "lost": "ジェネレーターから取り出されたが返されなかったサンプル",
        "missing": "一度も返されなかったサンプル",
        "wrong": "ラベルと位置がずれた予測",
        "aligned": "ラベルと同じ位置の予測",
        "pulled": "ジェネレーターが返したバッチ",
        "returned_row": "predict が返したバッチ",
        "call": "{n} 回目の呼び出し",
        "samples": "サンプル 0〜9",
        "labels": "ラベル",
        "leaky": "leaky_batches(7) の 2 バッチ",
        "fixed": "修正後の counting_batches(7) の 2 バッチ",
        "never": "30 ステップでも返されない",
        # partial-batches: the generators as the page names them, and a call's row.
        "generators": {"wrapping": "wrapping_batches", "repeated passes": "repeated_passes"},
        "call_steps": "{generator}、steps={steps}",
        "files_order": ".filenames と .classes の順",
        "default_shuffle": "predict(shuffle=True、デフォルト)",
        "no_shuffle": "predict(shuffle=False)",
        "second_pass": "2 周目に集めたラベル",
        "predict": "predict の予測",
        "same_pass": "1 周で集めたラベル",
        "one_pass": "同じ周の predict_on_batch",
        "trained": "そのエポックで学習に使われたサンプル",
        "untrained": "そのエポックで一度も使われなかったサンプル",
        "epoch": "{steps}、{n} エポック目",
        # known-issues: one row per use_multiprocessing value and backends that printed it.
        "skipped": "どのエポックでも学習に使われなかったバッチ",
        "backends_row": "use_multiprocessing={flag}({backends})",
        "backends_join": "、",
        # keras2-workers: the cases as the snippet names them, and what a row says.
        "cases": {
            "generator, workers=2": "ジェネレーター、2 スレッド",
            "generator, workers=2, use_multiprocessing=True": "ジェネレーター、2 プロセス",
            "Sequence, workers=2, use_multiprocessing=True": "Sequence、2 プロセス",
        },
        "unknown": "どのサンプルかが実行ごとに変わる予測",
        "failed": "{error} で止まり、予測は返らない({cause})",
        "not_distinct": "重複あり",
        "distinct": "重複なし",
        "not_in_order": "順不同",
        "note_join": "、",
    },
    "en": {
        "data": "data",
        "returned": "returned by predict",
        "again": "returned by predict, after the wrap from 9 back to 0",
        "extra": "returned but extra (the start of the next pass)",
        "lost": "taken from the generator, never returned",
        "missing": "never returned",
        "wrong": "prediction out of line with its label",
        "aligned": "prediction in line with its label",
        "pulled": "batches the generator handed out",
        "returned_row": "batches predict returned",
        "call": "call {n}",
        "samples": "samples 0 to 9",
        "labels": "labels",
        "leaky": "leaky_batches(7), 2 batches",
        "fixed": "fixed counting_batches(7), 2 batches",
        "never": "not returned in 30 steps either",
        "generators": {"wrapping": "wrapping", "repeated passes": "repeated passes"},
        "call_steps": "{generator}, steps={steps}",
        "files_order": "order of .filenames and .classes",
        "default_shuffle": "predict, shuffle=True (default)",
        "no_shuffle": "predict, shuffle=False",
        "second_pass": "labels from a second pass",
        "predict": "predictions of predict",
        "same_pass": "labels from one pass",
        "one_pass": "predict_on_batch, same pass",
        "trained": "trained on in that epoch",
        "untrained": "not trained on in that epoch",
        "epoch": "{steps}, epoch {n}",
        "skipped": "batch never trained on, in any epoch",
        "backends_row": "use_multiprocessing={flag} ({backends})",
        "backends_join": ", ",
        "cases": {
            "generator, workers=2": "generator, 2 threads",
            "generator, workers=2, use_multiprocessing=True": "generator, 2 processes",
            "Sequence, workers=2, use_multiprocessing=True": "Sequence, 2 processes",
        },
        "unknown": "prediction whose sample changes from run to run",
        "failed": "{error}, no predictions ({cause})",
        "not_distinct": "repeats",
        "distinct": "no repeats",
        "not_in_order": "out of order",
        "note_join": ", ",
    },
}


def order_and_steps(outputs, text):
    """in-order.md: each call's samples, batch by batch, across the 9 -> 0 wrap."""
    (out,) = outputs
    rows, index = [], 0
    while index < len(out.lines):
        head = out.match(r"batch_size=(\d+) steps=(\d+): (\d+) samples", index)
        size, steps, count = (int(g) for g in head.groups())
        values = out.literal(out.match(r"\s+(\[.*\])", index + 1).group(1), index + 1, 1)
        if len(values) != count or count != size * steps:
            raise out.fail(index, f"has {len(values)} samples for batch_size={size} steps={steps}")
        batches = [
            [(v, "returned" if i + b * size < 10 else "again") for i, v in enumerate(batch)]
            for b, batch in enumerate(chunks(values, size))
        ]
        rows.append(Row(f"batch_size={size}, steps={steps}", batches))
        index += 2
    if not rows:
        raise out.fail(None, "is empty")
    return Drawing(rows)


def read_ahead(outputs, text):
    """pulled-vs-returned.md: batches pulled, and which of them predict returned."""
    (out,) = outputs
    pulled = out.literal(out.match(r"pulled from the generator: (\[.*\])", 0).group(1), 0, 2)
    returned = out.literal(out.match(r"returned by predict: +(\[.*\])", 1).group(1), 1, 1)
    kept = _returned_batches(out, pulled, returned, 1)
    batches = [cells(b, "returned" if i < kept else "lost") for i, b in enumerate(pulled)]
    return Drawing(
        [
            Row(text["pulled"], batches),
            Row(text["returned_row"], [cells(b, "returned") for b in pulled[:kept]]),
        ]
    )


def _returned_batches(out, pulled, returned, index):
    """How many of the first pulled batches make up ``returned`` (or fail)."""
    kept, total = 0, 0
    while kept < len(pulled) and total < len(returned):
        total += len(pulled[kept])
        kept += 1
    if sum(pulled[:kept], []) != returned:
        raise out.fail(index, "returns samples that are not the first batches pulled")
    return kept


def reusing_generators(outputs, text):
    """what-was-pulled.md: what each call on one generator pulled, and returned."""
    (out,) = outputs
    rows, offset = [], 0
    for index in range(len(out.lines)):
        found = out.match(r"call (\d+): returned (\[.*?\]), pulled (\[.*\])", index)
        returned = out.literal(found.group(2), index, 1)
        pulled = out.literal(found.group(3), index, 2)
        kept = _returned_batches(out, pulled, returned, index)
        batches = [cells(b, "returned" if i < kept else "lost") for i, b in enumerate(pulled)]
        rows.append(Row(text["call"].format(n=found.group(1)), batches, offset=offset))
        offset += sum(len(b) for b in pulled)
    if not rows:
        raise out.fail(None, "is empty")
    return Drawing(rows)


def cache_reset(outputs, text):
    """leaky-batches.md and fix.md: the two batches of each, and 7, 8, 9 never returned."""
    leaky, fixed = outputs
    two = leaky.literal(leaky.match(r"steps=2: (\[.*\])", 0).group(1), 0, 1)
    never = leaky.literal(leaky.match(r"never returned in 30 steps: (\[.*\])", 2).group(1), 2, 1)
    good = fixed.literal(fixed.match(r"steps=2: (\[.*\])", 0).group(1), 0, 1)
    if len(two) % 2 or len(good) != len(two):
        raise leaky.fail(0, "does not hold 2 batches of the same size as fix.md")
    size = len(two) // 2
    data = [(v, "missing" if v in never else "data") for v in range(10)]
    fixed_batches = [
        [(v, "returned" if i + b * size < 10 else "again") for i, v in enumerate(batch)]
        for b, batch in enumerate(chunks(good, size))
    ]
    return Drawing(
        [
            Row(text["samples"], [data], notes=[text["never"]]),
            Row(text["leaky"], [cells(b, "returned") for b in chunks(two, size)]),
            Row(text["fixed"], fixed_batches),
        ]
    )


def parallel_loading(outputs, text):
    """finish-order.md: labels, and predictions in line with them or not."""
    (out,) = outputs
    labels = out.literal(out.match(r"labels: +(\[.*\])", 0).group(1), 0, 2)
    rows = [Row(text["labels"], [cells(b, "data") for b in labels])]
    for index in range(1, len(out.lines)):
        found = out.match(r"([\w.]+): (\[.*\])", index)
        predicted = out.literal(found.group(2), index, 2)
        if [len(b) for b in predicted] != [len(b) for b in labels]:
            raise out.fail(index, "has batches of other sizes than the labels")
        batches = [
            [(v, "returned" if v == label else "wrong") for v, label in zip(b, lb, strict=True)]
            for b, lb in zip(predicted, labels, strict=True)
        ]
        rows.append(Row(found.group(1), batches))
    if len(rows) < 2:
        raise out.fail(None, "has no predictions")
    return Drawing(rows)


def partial_batches(outputs, text):
    """batch-by-batch.md: each call's batches; extra samples and a dropped last batch."""
    (out,) = outputs
    samples = out.literal(out.match(r"samples: (\[.*\])", 0).group(1), 0, 1)
    rows = [Row(text["samples"], [cells(samples, "data")])]
    for index in range(1, len(out.lines)):
        found = out.match(r"([\w ]+), steps=(\d+): (\[.*\])", index)
        if found.group(1) not in text["generators"]:
            raise out.fail(index, f"names a generator the figure has no label for: {found[1]!r}")
        label = text["call_steps"].format(
            generator=text["generators"][found.group(1)], steps=found.group(2)
        )
        batches = out.literal(found.group(3), index, 2)
        drawn, seen = [], 0
        for batch in batches:
            drawn.append(
                [
                    (v, "returned" if seen + i < len(samples) else "extra")
                    for i, v in enumerate(batch)
                ]
            )
            seen += len(batch)
        dropped = [v for v in samples if v not in sum(batches, [])]
        if dropped:
            drawn.append(cells(dropped, "missing"))
        rows.append(Row(label, drawn))
    if len(rows) < 2:
        raise out.fail(None, "has no calls")
    return Drawing(rows)


def _numbers(out, pattern):
    """The list of ints that ``pattern`` (one group) finds on the first line it matches.

    Returns the list and the line's index; fails naming the snippet when no line matches.
    """
    for index, line in enumerate(out.lines):
        found = re.fullmatch(pattern, line)
        if found:
            return out.literal(found.group(1), index, 1), index
    raise out.fail(None, f"has no line like {pattern!r}")


def alignment(*groups):
    """Return a drawing function: rows of labels, each followed by predictions against them.

    Args:
        groups: ``(reference, rows)`` pairs. ``reference`` is ``(output number,
            pattern, label key)`` of the line that holds the labels (or the files) in
            their order: ``output number`` counts the figure's snippets from 0,
            ``pattern`` has one group, the list of ints. ``rows`` are such triples for
            lines of predictions, each drawn under its group's labels, each cell marked
            in line with the label above it or not.

    The drawing function fails naming the snippet when a line is missing, or when a
    row does not hold the same samples as its labels (then it is not a reordering).
    """

    def draw(outputs, text):
        drawn = []
        for (which, pattern, key), rows in groups:
            labels, _ = _numbers(outputs[which], pattern)
            drawn.append(Row(text[key], [cells(labels, "data")]))
            for which, pattern, key in rows:
                values, index = _numbers(outputs[which], pattern)
                if sorted(values) != sorted(labels):
                    raise outputs[which].fail(index, "does not hold the same samples as its labels")
                marks = [
                    "aligned" if v == lb else "wrong" for v, lb in zip(values, labels, strict=True)
                ]
                drawn.append(Row(text[key], [list(zip(values, marks, strict=True))]))
        return Drawing(drawn)

    return draw


def training(outputs, text):
    """ran-out.md: per fit call and epoch, the batches trained on and the samples left out."""
    (out,) = outputs
    rows, index, steps = [], 0, None
    while index < len(out.lines):
        line = out.lines[index]
        if line.startswith("steps_per_epoch="):
            steps = out.match(r"(steps_per_epoch=\w+)", index).group(1)
        elif line.lstrip().startswith("epoch"):
            if steps is None:
                raise out.fail(index, "has an epoch before any steps_per_epoch= line")
            found = out.match(r"  epoch (\d+): (\[.*\])", index)
            batches = out.literal(found.group(2), index, 2)
            seen = sum(batches, [])
            left_out = [v for v in range(10) if v not in seen]
            drawn = [cells(b, "trained") for b in batches]
            if left_out:
                drawn.append(cells(left_out, "untrained"))
            rows.append(Row(text["epoch"].format(steps=steps, n=found.group(1)), drawn))
        else:
            out.match(r"  History: .*", index)
        index += 1
    if not rows:
        raise out.fail(None, "has no epochs")
    return Drawing(rows)


#: Backend output files (tools.backends) are named after these; the figures name them so.
BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def known_issues(outputs, text):
    """multiprocessing-steps.md and its .jax/.torch outputs: batches trained on per epoch.

    One row per ``use_multiprocessing`` value and result; backends that printed the same
    batches share a row. Batch indices below the last one trained on that no epoch
    trained on are drawn first, as never trained on.
    """
    rows: dict[tuple, list[str]] = {}  # (flag, epochs as a string) -> backend names
    parsed: dict[tuple, tuple] = {}
    for out, backend in zip(outputs, BACKEND_NAMES.values(), strict=True):
        if not out.lines:
            raise out.fail(None, "is empty")
        for index in range(len(out.lines)):
            found = out.match(
                r"use_multiprocessing=(True|False): trained on, epoch by epoch: (\[.*\])", index
            )
            epochs = out.literal(found.group(2), index, 2)
            key = (found.group(1), str(epochs))
            rows.setdefault(key, []).append(backend)
            parsed[key] = (found.group(1), epochs)
    drawn = []
    for flag in ("True", "False"):
        for key, backends in rows.items():
            if key[0] != flag:
                continue
            _, epochs = parsed[key]
            seen = sum(epochs, [])
            skipped = [v for v in range(max(seen, default=-1) + 1) if v not in seen]
            batches = ([cells(skipped, "skipped")] if skipped else []) + [
                cells(epoch, "trained") for epoch in epochs
            ]
            label = text["backends_row"].format(
                flag=flag, backends=text["backends_join"].join(backends)
            )
            drawn.append(Row(label, batches))
    return Drawing(drawn)


def keras2_workers(outputs, text):
    """workers.md: per case, the error it raised, or what its predictions held.

    The snippet prints only what held on every run, so a case whose samples are not
    0..N-1 in order is drawn as N cells whose sample is unknown ("?"), never as one
    run's values. A cell is one row of predict's result (one batch of one sample in the
    snippet); cells are drawn without the brackets of batches.
    """
    (out,) = outputs
    rows, index = [], 0
    while index < len(out.lines):
        case = out.lines[index]
        if case not in text["cases"]:
            raise out.fail(index, f"names a case the figure has no label for: {case!r}")
        label = text["cases"][case]
        line = out.lines[index + 1] if index + 1 < len(out.lines) else ""
        if "Error" in line:
            found = out.match(r"  (\w+), from: (\w+: [^.]*)\..*", index + 1)
            note = text["failed"].format(error=found.group(1), cause=found.group(2))
            rows.append(Row(label, [], notes=[note]))
            index += 2
            continue
        count = int(out.match(r"  predictions: (\d+)", index + 1).group(1))
        distinct = out.match(rf"  {count} different samples: (True|False)", index + 2)
        order = out.match(rf"  in order 0\.\.{count - 1}: (True|False)", index + 3)
        if order.group(1) == "True":
            rows.append(Row(label, [cells(range(count), "aligned")], brackets=False))
        else:
            facts = ["distinct" if distinct.group(1) == "True" else "not_distinct", "not_in_order"]
            note = text["note_join"].join(text[f].format(n=count) for f in facts)
            rows.append(Row(label, [cells("?" * count, "unknown")], notes=[note], brackets=False))
        index += 4
    if not rows:
        raise out.fail(None, "is empty")
    return Drawing(rows)


@dataclass
class Figure:
    """A figure: the snippets it is drawn from, and how."""

    snippets: tuple[str, ...]
    draw: Callable


#: Figure name (also the page it belongs to) -> its snippets and drawing.
FIGURES = {
    "order-and-steps": Figure(("snippets/order-and-steps/in-order.md",), order_and_steps),
    "read-ahead": Figure(("snippets/read-ahead/pulled-vs-returned.md",), read_ahead),
    "reusing-generators": Figure(
        ("snippets/reusing-generators/what-was-pulled.md",), reusing_generators
    ),
    "cache-reset": Figure(
        ("snippets/cache-reset/leaky-batches.md", "snippets/cache-reset/fix.md"), cache_reset
    ),
    "parallel-loading": Figure(("snippets/parallel-loading/finish-order.md",), parallel_loading),
    "partial-batches": Figure(("snippets/partial-batches/batch-by-batch.md",), partial_batches),
    "image-folders": Figure(
        ("snippets/image-folders/predict-vs-classes.md", "snippets/image-folders/no-shuffle.md"),
        alignment(
            (
                (0, r"images in \.filenames order: +(\[.*\])", "files_order"),
                [
                    (0, r"predict saw images: +(\[.*\])", "default_shuffle"),
                    (1, r"predict saw images: +(\[.*\])", "no_shuffle"),
                ],
            )
        ),
    ),
    "shuffled-datasets": Figure(
        ("snippets/shuffled-datasets/second-pass.md", "snippets/shuffled-datasets/one-pass.md"),
        alignment(
            (
                (0, r"labels \(second pass\): +(\[.*\])", "second_pass"),
                [(0, r"predictions: +(\[.*\])", "predict")],
            ),
            (
                (1, r"labels \(same pass\): +(\[.*\])", "same_pass"),
                [(1, r"predict_on_batch: +(\[.*\])", "one_pass")],
            ),
        ),
    ),
    "training": Figure(("snippets/training/ran-out.md",), training),
    "known-issues": Figure(
        (
            "snippets/known-issues/multiprocessing-steps.md",
            "snippets/known-issues/multiprocessing-steps.jax.md",
            "snippets/known-issues/multiprocessing-steps.torch.md",
        ),
        known_issues,
    ),
    "keras2-workers": Figure(("snippets/keras2-workers/workers.md",), keras2_workers),
}


# --- Drawing -----------------------------------------------------------------------

#: Colours per scheme: the ink of labels, and per kind of cell (face, edge, text, hatch
#: pattern, hatch colour). Light is drawn for Material's white page, dark for its slate
#: page; both have a transparent background. Kinds differ in lightness and pattern, not
#: only in hue.
PALETTE = {
    "light": {
        "ink": "#1f2328",
        "data": ("#ffffff", "#57606a", "#1f2328", "", None),
        "returned": ("#3949ab", "#1a237e", "#ffffff", "", None),
        "again": ("#c5cae9", "#1a237e", "#1f2328", "", None),
        "extra": ("#ffe0b2", "#b35c00", "#1f2328", "\\\\", "#f0a050"),
        "lost": ("#eeeeee", "#616161", "#1f2328", "///", "#bdbdbd"),
        "missing": ("#ffffff", "#c62828", "#b71c1c", "", None),
        "aligned": ("#3949ab", "#1a237e", "#ffffff", "", None),
        "wrong": ("#c62828", "#7f0000", "#ffffff", "//", "#e57373"),
        "trained": ("#3949ab", "#1a237e", "#ffffff", "", None),
        "untrained": ("#ffffff", "#c62828", "#b71c1c", "", None),
        "skipped": ("#ffffff", "#c62828", "#b71c1c", "", None),
        "unknown": ("#eeeeee", "#616161", "#1f2328", "", None),
    },
    "dark": {
        "ink": "#e6e6e6",
        "data": ("#2b2f3a", "#9aa0aa", "#e6e6e6", "", None),
        "returned": ("#8c9eff", "#c5cae9", "#10121a", "", None),
        "again": ("#dfe3ff", "#8c9eff", "#10121a", "", None),
        "extra": ("#5c3d0a", "#ffb74d", "#ffffff", "\\\\", "#8a5a12"),
        "lost": ("#3a3d45", "#b0b0b0", "#ffffff", "///", "#5b5f69"),
        "missing": ("#2b2f3a", "#ff8a80", "#ff8a80", "", None),
        "aligned": ("#8c9eff", "#c5cae9", "#10121a", "", None),
        "wrong": ("#ff8a80", "#ffcdd2", "#10121a", "//", "#ffb3ad"),
        "trained": ("#8c9eff", "#c5cae9", "#10121a", "", None),
        "untrained": ("#2b2f3a", "#ff8a80", "#ff8a80", "", None),
        "skipped": ("#2b2f3a", "#ff8a80", "#ff8a80", "", None),
        "unknown": ("#3a3d45", "#b0b0b0", "#ffffff", "", None),
    },
}
DASHED = ("missing", "untrained", "skipped")  # kinds of samples that were not used
CELL, GAP, ROW = 1.0, 0.45, 1.5  # cell width, gap between batches, row pitch (cell units)
INCH = 0.3  # inches per cell unit
SIZES = {"label": 11, "cell": 10, "note": 9, "legend": 9.5}  # font sizes, points


@functools.cache
def _setup_matplotlib():
    """Import matplotlib with the SVG backend and IPAexGothic for laying out text (once)."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib_fontja
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(matplotlib_fontja.get_font_ttf_path())
    return plt, {
        "svg.fonttype": "none",  # text stays text, drawn with the page's fonts
        "svg.hashsalt": "keras-generators",  # stable ids, so rebuilds are identical
        "svg.id": None,
        "font.family": ["sans-serif"],
        "font.sans-serif": ["IPAexGothic"],
        "hatch.linewidth": 0.8,
    }


@functools.cache
def _width(text: str, size: float) -> float:
    """Width of ``text`` at ``size`` points, in cell units, with room for other fonts.

    The browser draws the text with the system's fonts, not IPAexGothic: 15% more
    than IPAexGothic's width leaves room for a wider font.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="IPAexGothic", size=size)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return 1.15 * width / 72 / INCH + 0.3


def render(drawing: Drawing, lang: str, scheme: str) -> str:
    """Return the SVG text of a drawing, with labels in ``lang`` for ``scheme``."""
    plt, params = _setup_matplotlib()
    colours, text = PALETTE[scheme], TEXT[lang]
    used = [k for k in KINDS if any(c[1] == k for r in drawing.rows for b in r.batches for c in b)]
    with plt.rc_context(params):
        label_width = max(_width(row.label, SIZES["label"]) for row in drawing.rows) + 0.4
        width = max(
            row.offset * CELL
            + sum(len(b) * CELL + GAP for b in row.batches)
            + sum(_width(note, SIZES["note"]) for note in row.notes if note)
            for row in drawing.rows
        )
        legend = [_width(text[kind], SIZES["legend"]) + 1.1 for kind in used]
        column = max(legend)
        columns = 2 if 2 * column + 0.5 <= label_width + width else 1
        width = max(width, columns * column + 0.5 - label_width)
        legend_lines = -(-len(used) // columns)
        height = len(drawing.rows) * ROW + legend_lines * 0.8 + 0.8
        figure = plt.figure(figsize=((label_width + width) * INCH, height * INCH))
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(-label_width, width)
        axes.set_ylim(-height, 0)
        axes.axis("off")
        for number, row in enumerate(drawing.rows):
            middle = -0.5 - number * ROW - CELL / 2
            axes.text(
                -0.4,
                middle,
                row.label,
                ha="right",
                va="center",
                color=colours["ink"],
                fontsize=SIZES["label"],
            )
            x = row.offset * CELL
            for b, batch in enumerate(row.batches):
                for value, kind in batch:
                    _cell(
                        plt,
                        axes,
                        x,
                        middle,
                        value,
                        colours[kind],
                        dashed=kind in DASHED,
                    )
                    x += CELL
                start = x - len(batch) * CELL  # a bracket under the batch
                low = middle - CELL / 2
                if row.brackets:
                    axes.plot(
                        [start + 0.1, start + 0.1, x - 0.1, x - 0.1],
                        [low - 0.05, low - 0.15, low - 0.15, low - 0.05],
                        color=colours["ink"],
                        linewidth=0.8,
                    )
                if b < len(row.notes) and row.notes[b]:
                    _note(axes, x + 0.2, middle, row.notes[b], colours)
                x += GAP
            if not row.batches and row.notes:  # a row of text alone (nothing was returned)
                _note(axes, x, middle, row.notes[0], colours)
        top = -len(drawing.rows) * ROW - 0.7
        for i, kind in enumerate(used):
            left = -label_width + 0.4 + (i % columns) * column
            y = top - (i // columns) * 0.8
            _cell(
                plt,
                axes,
                left,
                y,
                None,
                colours[kind],
                dashed=kind in DASHED,
                size=0.55,
            )
            axes.text(
                left + 0.8,
                y,
                text[kind],
                ha="left",
                va="center",
                color=colours["ink"],
                fontsize=SIZES["legend"],
            )
        buffer = io.StringIO()
        figure.savefig(
            buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": None}
        )
        plt.close(figure)
    # xml:lang: the browser picks Japanese glyph forms for the CJK fallback font.
    return buffer.getvalue().replace("<svg ", f'<svg xml:lang="{lang}" ', 1)


def _note(axes, x, middle, note, colours):
    """Draw a row's note, its left edge at ``x``."""
    axes.text(x, middle, note, ha="left", va="center", color=colours["ink"], fontsize=SIZES["note"])


def _cell(plt, axes, x, middle, value, style, dashed, size=CELL - 0.12):
    """Draw one cell whose left edge is at ``x``, with its value (if any) inside."""
    face, edge, ink, hatch, hatch_colour = style
    left = x + (CELL - size) / 2 if value is not None else x
    axes.add_artist(  # not add_patch: the limits are set, no need to update them
        plt.Rectangle(
            (left, middle - size / 2),
            size,
            size,
            facecolor=face,
            edgecolor=edge,
            hatch=hatch or None,
            hatchcolor=hatch_colour or edge,
            linewidth=1.2,
            linestyle="--" if dashed else "-",
            clip_on=False,
        )
    )
    if value is not None:
        axes.text(
            x + CELL / 2,
            middle,
            str(value),
            ha="center",
            va="center_baseline",
            color=ink,
            fontsize=SIZES["cell"],
            clip_on=False,
        )


# --- Writing the files -------------------------------------------------------------

_CACHE: dict[tuple, dict[str, str]] = {}  # (name, lang, scheme, output blocks) -> SVG, per process


def figure_path(root: Path, lang: str, name: str, scheme: str) -> Path:
    """Where the figure ``name`` of ``lang`` in ``scheme`` is written."""
    return Path(root) / "docs" / lang / FIGURE_DIR / f"{name}-{scheme}.svg"


def figure_svgs(name: str, lang: str, root: Path = ROOT) -> dict[str, str]:
    """Return the SVG text of figure ``name`` in ``lang``, per scheme.

    Raises:
        FigureError: a snippet of the figure is missing or its output block does not
            have the form the figure reads.
    """
    figure = FIGURES[name]
    outputs = [read_output(root, snippet) for snippet in figure.snippets]
    key = (name, lang, tuple("\n".join(o.lines) for o in outputs))
    if key not in _CACHE:
        drawing = figure.draw(outputs, TEXT[lang])
        _CACHE[key] = {scheme: render(drawing, lang, scheme) for scheme in SCHEMES}
    return _CACHE[key]


#: An <img> of one of our figures, as MkDocs renders it (the src made relative).
_FIGURE_IMG = re.compile(
    r'<img\b(?P<attrs>[^>]*?\bsrc="[^"]*\bfigures/(?P<file>[\w-]+\.svg)[^"]*"[^>]*?)'
    r"\s*(?P<end>/?)>"
)
#: The size matplotlib writes on the <svg> element, in points.
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)pt" height="(?P<h>[\d.]+)pt"')


def sized_images(html: str, figures_dir: Path) -> str:
    """Give each figure <img> of a page the width and height of its SVG, in CSS pixels.

    Without them the browser cannot reserve the figure's space before the SVG arrives
    (Lighthouse: "Image elements do not have explicit width and height"). CSS keeps the
    figure within the page's width (Material: ``max-width: 100%; height: auto``).

    Args:
        html: a rendered page.
        figures_dir: ``docs/<lang>/figures``, where write_figures() put the SVGs.

    Returns:
        The page; images that already have a width, or whose SVG is missing, unchanged.
    """

    def sized(match: re.Match) -> str:
        attrs = match["attrs"]
        svg = figures_dir / match["file"]
        if re.search(r"\bwidth=", attrs) or not svg.is_file():
            return match.group(0)
        size = _SVG_SIZE.search(svg.read_text(encoding="utf-8")[:2000])
        if size is None:
            return match.group(0)
        width, height = (round(float(size[key]) * 4 / 3) for key in ("w", "h"))
        end = " /" if match["end"] else ""
        return f'<img{attrs} width="{width}" height="{height}"{end}>'

    return _FIGURE_IMG.sub(sized, html)


#: This module's source, read once: part of every render_key.
_DRAWING_CODE = Path(__file__).read_bytes()


def render_key(name: str, lang: str, root: Path = ROOT) -> str:
    """A hex SHA-256 of everything figure ``name`` in ``lang`` is drawn from.

    That is this module's source (the drawing code, colours and labels), the versions of
    matplotlib and matplotlib-fontja (the SVG writer and the font that lays text out),
    and the output blocks the figure reads. Not the snippets' code: a figure shows only
    what the output blocks say.

    Raises:
        FigureError: a snippet of the figure is missing or has no output block.
    """
    digest = hashlib.sha256(_DRAWING_CODE)
    for part in (
        metadata.version("matplotlib"),
        metadata.version("matplotlib-fontja"),
        name,
        lang,
        *("\n".join(read_output(root, s).lines) for s in FIGURES[name].snippets),
    ):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def _key_line(key: str) -> str:
    """The line written after the XML declaration of an SVG drawn with ``key``."""
    return f"<!-- drawn by tools/figures.py from {key} -->"


def _is_drawn_from(path: Path, key: str) -> bool:
    """True if ``path`` is an SVG that write_figures wrote from inputs with ``key``."""
    try:
        with path.open(encoding="utf-8") as file:
            return file.readline() != "" and file.readline().rstrip("\n") == _key_line(key)
    except (OSError, UnicodeDecodeError):
        return False


def write_figures(root: Path = ROOT, languages=LANGUAGES) -> list[Path]:
    """(Re)write every figure whose SVG changed; return the files written.

    A figure whose files already carry its render_key is not drawn again. Unchanged
    files are left alone, so ``mkdocs serve`` does not see a change and rebuild in a
    loop. SVGs of figures that no longer exist are removed.

    Raises:
        FigureError: as figure_svgs.
    """
    written = []
    for lang in languages:
        wanted = set()
        for name in FIGURES:
            key = render_key(name, lang, root)
            targets = {scheme: figure_path(root, lang, name, scheme) for scheme in SCHEMES}
            wanted.update(targets.values())
            if all(_is_drawn_from(target, key) for target in targets.values()):
                continue
            for scheme, drawn in figure_svgs(name, lang, root).items():
                declaration, _, rest = drawn.partition("\n")
                svg = f"{declaration}\n{_key_line(key)}\n{rest}"
                target = targets[scheme]
                if not target.is_file() or target.read_text(encoding="utf-8") != svg:
                    # Whole or not at all: a cut-off file with its key line would
                    # otherwise pass for drawn at every later build.
                    write_atomically(target, svg)
                    written.append(target)
        folder = Path(root) / "docs" / lang / FIGURE_DIR
        for stale in folder.glob("*.svg") if folder.is_dir() else []:
            if stale not in wanted:
                stale.unlink()
    return written


def main() -> int:
    """Write the figures of both languages; print one line per problem."""
    try:
        for path in write_figures():
            print("wrote", rel(path))
    except FigureError as error:
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
