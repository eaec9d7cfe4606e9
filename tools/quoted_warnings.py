"""The warnings the pages quote, the snippet that gives each, and the checks on them.

A page that quotes a warning ("Your input ran out of data; ...") makes a claim the output
blocks do not always show: a Python warning goes to standard error, which no output block
holds. QUOTES records, for each quoted text, the snippet whose run gives it, the stream it
appears on, and the pages that quote it. Three checks hold them together:

- the pages still quote the text (tests/test_quoted_warnings.py, no run);
- at the pins, the snippet really gives it: on ``stdout`` its output block holds the text
  (the snippet test proves the block printed it); on ``stderr`` the snippet's test in the
  test command saw it (conftest.py, from the run the snippet tests already make);
- with the newest Keras, the drift watch (tools/drift.py) reports a quoted warning that
  its snippet no longer gives, with the warning lines it gave instead.

Texts are compared with runs of whitespace made one space, since pages wrap their lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools.snippets import ROOT, SnippetError, parse_snippet

#: Where a snippet's run shows the warning: its standard output (the snippet records
#: the warnings and prints them) or its standard error (Python writes them there).
STREAMS = ("stdout", "stderr")

_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches."
)


@dataclass(frozen=True)
class Quote:
    """One warning text that pages quote, and the snippet whose run gives it."""

    text: str
    snippet: str  # from the repository root
    stream: str  # one of STREAMS
    pages: tuple[str, ...]  # from the repository root, both languages


#: Every warning a page quotes, with the snippet that gives it (keras 3.15.1,
#: tf_keras 2.21.0). The ran-out warning is keras/src/trainers/epoch_iterator.py#L156-L166
#: at v3.15.1; the others are printed by their snippets (the Keras 2 ones from the stderr
#: of the tf_keras process they start).
QUOTES = (
    Quote(
        _RAN_OUT + " You may need to use the `.repeat()` function when building your dataset.",
        "snippets/training/ran-out.md",
        "stderr",
        ("docs/en/training.md", "docs/ja/training.md"),
    ),
    Quote(
        _RAN_OUT,
        "snippets/order-and-steps/finite-generator.md",
        "stderr",
        ("docs/en/order-and-steps.md", "docs/ja/order-and-steps.md"),
    ),
    Quote(
        "Your input ran out of data; interrupting training",
        "snippets/order-and-steps/finite-generator.md",
        "stderr",
        ("docs/en/symptoms.md", "docs/ja/symptoms.md"),
    ),
    Quote(
        "UserWarning: Your input ran out of data",
        "snippets/partial-batches/generator-steps.md",
        "stderr",
        ("docs/en/partial-batches.md", "docs/ja/partial-batches.md"),
    ),
    Quote(
        "UserWarning: Your `PyDataset` class should call `super().__init__(**kwargs)` in its "
        "constructor.",
        "snippets/migration/sequence.md",
        "stdout",
        ("docs/en/symptoms.md", "docs/ja/symptoms.md"),
    ),
    Quote(
        "Using a generator with `use_multiprocessing=True` and multiple workers may duplicate "
        "your data. Please consider using the `keras.utils.Sequence` class.",
        "snippets/keras2-workers/warning.md",
        "stdout",
        ("docs/en/keras2-workers.md", "docs/ja/keras2-workers.md"),
    ),
    Quote(
        "may duplicate your data",
        "snippets/keras2-workers/warning.md",
        "stdout",
        ("docs/en/symptoms.md", "docs/ja/symptoms.md"),
    ),
    Quote(
        "UserWarning: `Model.predict_generator` is deprecated and will be removed in a future "
        "version.",
        "snippets/migration/old-calls-keras2.md",
        "stdout",
        ("docs/en/symptoms.md", "docs/ja/symptoms.md"),
    ),
)


def flat(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text).strip()


def holds(haystack: str, text: str) -> bool:
    """True when ``haystack`` contains ``text``, whitespace runs counted as one space."""
    return flat(text) in flat(haystack)


def warning_lines(stderr: str) -> list[str]:
    """Return the lines of ``stderr`` that state a Python warning (``...Warning: ...``)."""
    return [line.strip() for line in stderr.splitlines() if re.search(r"\b\w*Warning: ", line)]


def for_snippet(snippet: str, stream: str | None = None) -> list[Quote]:
    """Return the QUOTES a snippet gives (on ``stream`` only, when given)."""
    return [q for q in QUOTES if q.snippet == snippet and stream in (None, q.stream)]


def page_problems(root: Path = ROOT, quotes: tuple[Quote, ...] = QUOTES) -> list[str]:
    """List the quotes that a page they name no longer holds, or that name no file.

    Returns:
        One ``page: ...`` text per problem; empty when every page quotes its texts.
    """
    problems = []
    for quote in quotes:
        if quote.stream not in STREAMS:
            problems.append(f"{quote.snippet}: stream {quote.stream!r} is not one of {STREAMS}")
        if not (root / quote.snippet).is_file():
            problems.append(f"{quote.snippet}: no such snippet (tools/quoted_warnings.py)")
        for page in quote.pages:
            path = root / page
            if not path.is_file():
                problems.append(f"{page}: no such page (tools/quoted_warnings.py)")
            elif not holds(path.read_text(encoding="utf-8"), quote.text):
                problems.append(
                    f"{page}: no longer quotes {quote.text!r}; update QUOTES in "
                    "tools/quoted_warnings.py"
                )
    return problems


def output_problems(root: Path = ROOT, quotes: tuple[Quote, ...] = QUOTES) -> list[str]:
    """List the ``stdout`` quotes that their snippet's output blocks no longer hold.

    At the pins an output block is what its block printed (the snippet tests prove it),
    so this checks, without a run, that the snippet gives the quoted warning.

    Returns:
        One ``snippet: ...`` text per problem; empty when every output quote holds.
    """
    problems = []
    for quote in quotes:
        if quote.stream != "stdout" or not (root / quote.snippet).is_file():
            continue
        try:
            blocks = parse_snippet(root / quote.snippet)
        except SnippetError as error:
            problems.append(str(error))
            continue
        shown = "".join(b.output.body for b in blocks if b.output is not None)
        if not holds(shown, quote.text):
            problems.append(
                f"{quote.snippet}: its output no longer shows the warning "
                f"{', '.join(quote.pages)} quote: {quote.text!r}"
            )
    return problems


def missing(snippet: str, stdout: str, stderr: str) -> list[Quote]:
    """Return the quotes of ``snippet`` that its run did not give on their stream.

    Args:
        snippet: the snippet, from the repository root.
        stdout: everything its blocks printed, joined.
        stderr: everything its blocks wrote to standard error, joined.
    """
    shown = {"stdout": stdout, "stderr": stderr}
    return [q for q in for_snippet(snippet) if not holds(shown[q.stream], q.text)]


def drift_lines(results: dict) -> list[str]:
    """Return the Markdown lines of the drift report about quoted warnings.

    Args:
        results: tools.snippet_run's results (blocks with ``printed`` and ``stderr``).

    Returns:
        An empty list when every quoted warning whose snippet ran is still given;
        else a section naming each one that is not, with the pages that quote it and
        the warning lines its snippet gave instead.
    """
    stdout: dict[str, str] = {}
    stderr: dict[str, str] = {}
    for block in results["blocks"]:
        name = block["snippet"]
        stdout[name] = stdout.get(name, "") + (block.get("printed") or "")
        stderr[name] = stderr.get(name, "") + (block.get("stderr") or "")
    lines: list[str] = []
    for snippet in stdout:
        for quote in missing(snippet, stdout[snippet], stderr[snippet]):
            given = warning_lines(stderr[snippet] if quote.stream == "stderr" else stdout[snippet])
            lines += [
                f"### `{snippet}` no longer gives a quoted warning",
                "",
                f"Quoted on {', '.join(quote.pages)} ({quote.stream}):",
                "",
                "```text",
                quote.text,
                "```",
                "",
                "Warnings it gave instead:" if given else "It gave no warning.",
                "",
            ]
            if given:
                lines += ["```text", *given, "```", ""]
    return ["## Quoted warnings changed or gone", "", *lines] if lines else []
