"""What the pages show of the Keras history: notes under snippets, and the versions page.

Built at build time (hook tools/hooks/keras_history.py) from the committed history files
(tools.history_files), never typed by hand:

- under each snippet include whose block printed something else on some release of the
  history, a collapsed note (Material's ``???`` admonition) saying on which releases the
  shown output holds and what the other releases printed, with the Keras pull request
  that made the change where CHANGES names one;
- on ``docs/<lang>/versions.md``, in place of the line ``<!-- keras-history -->``, the
  releases the history ran and, per page and section, the outputs per release range.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from tools.headings import page_headings
from tools.history_files import History, Outcome, format_ranges, history_path, parse, pin_outcome
from tools.history_releases import ENVIRONMENTS, releases_of
from tools.snippets import INCLUDE, ROOT, SnippetError

MARKER = "<!-- keras-history -->"
#: The line of the versions page that the tables of the releases replace.
RELEASES_MARKER = "<!-- keras-history-releases -->"
#: The page that holds MARKER, relative to each language's docs folder.
PAGE = "versions.md"


@dataclass(frozen=True)
class Change:
    """A change of Keras that the history traced to a release, and the snippets it explains.

    ``release`` is the first release of the change (it may be a release the history
    does not run, as 3.15.0 ...); ``snippets`` the snippets whose output the runs show
    changing there and that the pull request's diff explains.
    """

    release: str
    pull: int
    snippets: tuple[str, ...]
    backends: tuple[str, ...] = ("tensorflow",)

    @property
    def url(self) -> str:
        """The pull request on GitHub."""
        return f"https://github.com/keras-team/keras/pull/{self.pull}"


#: The pull requests behind changes the runs show, each checked to be in that release's
#: wheel on PyPI and not in the release before (the code it adds), and linked only for
#: the snippets whose output its diff explains (check_changes holds them to the files).
CHANGES: tuple[Change, ...] = (
    # The generator and PyDataset adapters peek at two batches instead of one
    # (peek_and_restore returns first_batches): in the 3.1.0 wheel, not in 3.0.5's.
    Change(
        "3.1.0",
        19318,
        (
            "snippets/parallel-loading/epoch-hooks.md",
            "snippets/image-folders/reuse-and-reset.md",
        ),
    ),
    # PyDataset.on_epoch_begin, called by the adapter at the start of each epoch.
    Change("3.5.0", 19958, ("snippets/parallel-loading/epoch-hooks.md",), ("tensorflow", "jax")),
    Change("3.5.0", 19958, ("snippets/known-issues/epoch-begin-race.md",)),
    # EpochIterator rewrite: at the end of an epoch it creates the next epoch's iterator.
    Change(
        "3.7.0",
        20396,
        ("snippets/shuffled-datasets/second-pass.md", "snippets/image-folders/dataset-order.md"),
    ),
    # peek_and_restore returns a function: every new pass starts with the peeked batches.
    Change("3.7.0", 20412, ("snippets/training/ran-out.md",), ("tensorflow", "jax")),
    Change("3.7.0", 20412, ("snippets/training/validation.md",)),
    # JAX on CPU no longer reads one batch ahead (the prefetch iterator is skipped).
    Change(
        "3.15.0",
        22847,
        (
            "snippets/read-ahead/how-many-pulled.md",
            "snippets/parallel-loading/epoch-hooks.md",
            "snippets/known-issues/multiprocessing-steps.md",
        ),
        ("jax",),
    ),
)

TEXT = {
    "en": {
        "title": "What {package} {ranges} printed",
        "title_jax": "What {package} {ranges} printed on JAX",
        "holds": "The output above is what {package} {ranges} printed.",
        "holds_jax": (
            "The output above is what {package} {ranges} printed with `KERAS_BACKEND=jax`."
        ),
        "other": "[Other releases](versions.md) printed:",
        "raised": "raised `` {error} ``",
        "varied": "the output was not the same in every run; the runs printed:",
        "or": "or",
        "seen": "Output {n}:",
        "change": "Keras {release} changed this: [keras-team/keras#{pull}]({url}).",
        "release": "Release",
        "output": "What the snippet printed",
        "jax": "With `KERAS_BACKEND=jax`:",
        "env_head": "| Keras | TensorFlow | JAX |",
        "tf_keras_head": "| tf_keras | TensorFlow |",
        "same": "Every other output of this page is the same on every release of the history.",
    },
    "ja": {
        "title": "{package} {ranges} での出力",
        "title_jax": "{package} {ranges} の JAX での出力",
        "holds": "上の出力は {package} {ranges} の出力です。",
        "holds_jax": "上の出力は {package} {ranges} で `KERAS_BACKEND=jax` としたときの出力です。",
        "other": "[ほかのリリース](versions.md)では、次のように表示しました。",
        "raised": "例外 `` {error} `` が発生",
        "varied": "実行ごとに出力が変わりました。各回の出力は次のとおりです。",
        "or": "または",
        "seen": "出力 {n}:",
        "change": "Keras {release} で変わりました([keras-team/keras#{pull}]({url}))。",
        "release": "リリース",
        "output": "スニペットの出力",
        "jax": "`KERAS_BACKEND=jax` としたときの出力です。",
        "env_head": "| Keras | TensorFlow | JAX |",
        "tf_keras_head": "| tf_keras | TensorFlow |",
        "same": "このページのほかの出力は、履歴のどのリリースでも同じです。",
    },
}


def check_changes(root: Path = ROOT) -> list[str]:
    """Each pull request of CHANGES is linked only where the history shows its change.

    For every snippet a Change names, some output of the snippet must start at the first
    release of the history from the change's release on (on the change's backends):
    otherwise the note would credit the pull request with a change the runs do not show.
    """
    problems = []
    order = [release.version for release in releases_of("keras")]
    for change in CHANGES:
        first = next((v for v in order if _key(v) >= _key(change.release)), None)
        for snippet in change.snippets:
            path = history_path(Path(root) / snippet, root)
            try:
                history = parse(path)
            except SnippetError as error:
                problems.append(f"tools/history_pages.py: CHANGES: {error}")
                continue
            for backend in change.backends:
                starts = {
                    o.releases[0] for b in history.blocks for o in b.outcomes.get(backend, [])
                }
                if first not in starts:
                    problems.append(
                        f"tools/history_pages.py: CHANGES: keras-team/keras#{change.pull} is "
                        f"linked for {snippet} on {backend}, whose history shows no change at "
                        f"Keras {first}"
                    )
    return problems


def package_name(history: History) -> str:
    """The package as readers know it: ``Keras`` or ``tf_keras``."""
    return "Keras" if history.package == "keras" else "tf_keras"


def read_history(target: str, root: Path = ROOT) -> tuple[History, str] | None:
    """Return (history, backend) for an included snippet or JAX output file, or None.

    Raises:
        SnippetError: the history file cannot be read.
    """
    path = Path(target)
    backend = "tensorflow"
    if path.name.endswith(".jax.md"):
        path, backend = path.with_name(path.name.removesuffix(".jax.md") + ".md"), "jax"
    elif path.name.count(".") > 1:
        return None  # another backend's output file: no history
    history_file = history_path(Path(root) / path, root)
    if not history_file.is_file():
        return None
    return parse(history_file), backend


def changes_for(history: History, backend: str, outcomes: list[Outcome]) -> list[Change]:
    """Return the CHANGES that explain where this block's outcome changes."""
    order = history.order()
    starts = {o.releases[0] for o in outcomes} | {
        order[order.index(last) + 1]
        for o in outcomes
        for last in [o.releases[-1]]
        if order.index(last) + 1 < len(order)
    }
    found = []
    for change in CHANGES:
        if history.package != "keras" or history.snippet not in change.snippets:
            continue
        if backend not in change.backends:
            continue
        # the first release of the history from the change on
        first = next((label for label in order if _key(label) >= _key(change.release)), None)
        if first in starts:
            found.append(change)
    return found


def _key(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in label.split("-")[-1].split("."))


def fence(text: str) -> list[str]:
    """Return a ``text`` fence holding ``text``."""
    return ["```text", *text.rstrip("\n").split("\n"), "```"] if text else ["```text", "```"]


def note(target: str, lang: str, root: Path = ROOT) -> list[str]:
    """Return the lines of the note under an include of ``target`` (none: no change).

    Raises:
        SnippetError: the history file cannot be read.
    """
    found = read_history(target, root)
    if found is None:
        return []
    history, backend = found
    text = TEXT[lang]
    lines: list[str] = []
    order = history.order()
    package = package_name(history)
    for block in history.blocks:
        outcomes = block.outcomes.get(backend, [])
        if len(outcomes) < 2:
            continue
        pin = pin_outcome(outcomes, history.package)
        others = [o for o in outcomes if o is not pin]
        other_labels = [label for o in others for label in o.releases]
        title = text["title_jax" if backend == "jax" else "title"].format(
            package=package, ranges=format_ranges(other_labels, order)
        )
        body = [
            text["holds_jax" if backend == "jax" else "holds"].format(
                package=package, ranges=format_ranges(pin.releases, order)
            ),
            text["other"],
            "",
        ]
        for outcome in others:
            ranges = format_ranges(outcome.releases, order)
            body += _note_item(f"{package} {ranges}", outcome, lang)
        for change in changes_for(history, backend, outcomes):
            body += [
                text["change"].format(release=change.release, pull=change.pull, url=change.url),
                "",
            ]
        lines += ["", f'??? note "{title}"', ""] + [f"    {x}" if x else "" for x in body]
    return lines


def _note_item(what: str, outcome: Outcome, lang: str) -> list[str]:
    """Return the lines of one list item of a note: the releases and what they printed."""
    text = TEXT[lang]
    if outcome.raised is not None:
        return [f"- {what}: {text['raised'].format(error=outcome.raised)}", ""]
    if outcome.varied is None:
        return [f"- {what}:", "", *("    " + x for x in fence(outcome.printed)), ""]
    lines = [f"- {what}: {text['varied']}", ""]
    for number, seen in enumerate(outcome.varied, 1):
        label = text["seen"].format(n=number)
        if seen.startswith("raised "):
            error = seen.removeprefix("raised ")
            lines += [f"    - {label} {text['raised'].format(error=error)}", ""]
        else:
            lines += [f"    - {label}", "", *("        " + x for x in fence(seen)), ""]
    return lines


def add_notes(markdown: str, lang: str, root: Path = ROOT) -> str:
    """Return the page with a note after each include whose snippet changed across releases.

    The note follows the include's source link when tools/hooks/includes.py added one
    (a blank line, ``[target](url)`` and its attribute line).

    Raises:
        SnippetError: a history file cannot be read.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    pending: list[str] = []
    link_lines, target = 0, ""
    for line in lines:
        if (
            pending
            and link_lines
            and (
                (link_lines == 3 and not line.strip())
                or (link_lines == 2 and line.strip().startswith(f"[{target}]("))
                or (link_lines == 1 and "snippet-source" in line)
            )
        ):
            out.append(line)
            link_lines -= 1
            continue
        if pending:
            out += pending
            pending, link_lines = [], 0
        out.append(line)
        match = INCLUDE.match(line)
        if match:
            indent = line[: len(line) - len(line.lstrip())]
            target = match.group("target")
            note_lines = note(target, lang, root)
            pending = [f"{indent}{x}" if x else "" for x in note_lines]
            link_lines = 3
    out += pending
    return "\n".join(out)


def _cell(outcome: Outcome, lang: str) -> str:
    if outcome.varied is not None:
        parts = [
            _cell(Outcome([], None, seen.removeprefix("raised ")), lang)
            if seen.startswith("raised ")
            else _cell(Outcome([], seen, None), lang)
            for seen in outcome.varied
        ]
        return f"{TEXT[lang]['varied']}<br>" + f"<br>{TEXT[lang]['or']}<br>".join(parts)
    if outcome.raised is not None:
        return TEXT[lang]["raised"].format(error=outcome.raised.replace("|", "\\|"))
    lines = outcome.printed.rstrip("\n").split("\n") if outcome.printed else [""]
    escaped = "<br>".join(html.escape(x).replace("|", "&#124;") for x in lines)
    return f"<code>{escaped}</code>"


def _table(history: History, outcomes: list[Outcome], lang: str) -> list[str]:
    text = TEXT[lang]
    order = history.order()
    rows = [f"| {text['release']} | {text['output']} |", "| --- | --- |"]
    for outcome in sorted(outcomes, key=lambda o: order.index(o.releases[0])):
        ranges = format_ranges(outcome.releases, order)
        rows.append(f"| {package_name(history)} {ranges} | {_cell(outcome, lang)} |")
    return rows


def environments_table(lang: str) -> list[str]:
    """Return the tables of the releases the history ran and their TensorFlow and JAX."""
    text = TEXT[lang]
    rows = [text["env_head"], "| --- | --- | --- |"]
    for release in releases_of("keras"):
        env = ENVIRONMENTS[release.environment]
        rows.append(f"| {release.version} | {env.tensorflow} | {env.jax} |")
    rows += ["", text["tf_keras_head"], "| --- | --- |"]
    for release in releases_of("tf-keras"):
        rows.append(f"| {release.version} | {ENVIRONMENTS[release.environment].tensorflow} |")
    return rows


def render(lang: str, nav: list[str], root: Path = ROOT) -> list[str]:
    """Return the versions page's generated part: per page and section, the changes.

    Args:
        lang: ``ja`` or ``en``.
        nav: the pages in the order of the site's nav (``read-ahead.md``, ...).
        root: the repository root.

    Raises:
        SnippetError: a history file or a page cannot be read.
    """
    text = TEXT[lang]
    docs = Path(root) / "docs" / lang
    lines: list[str] = []
    seen = set()
    for name in nav:
        page = docs / name
        if name == PAGE or not page.is_file():
            continue
        heads = page_headings(page)
        title = next((h.text for h in heads if h.level == 1), name)
        page_lines = []
        for number, raw in enumerate(page.read_text(encoding="utf-8").split("\n"), 1):
            match = INCLUDE.match(raw)
            if not match or match.group("target") in seen:
                continue
            found = read_history(match.group("target"), root)
            if found is None:
                continue
            seen.add(match.group("target"))
            history, backend = found
            for block in history.blocks:
                outcomes = block.outcomes.get(backend, [])
                if len(outcomes) < 2:
                    continue
                section = [h for h in heads if h.line < number and h.level >= 2 and h.id]
                where = section[-1] if section else None
                link = f"{name}#{where.id}" if where else name
                label = where.text if where else title
                page_lines += ["", f"[{label}]({link}) (`{Path(history.snippet).stem}`)"]
                page_lines += [text["jax"]] if backend == "jax" else []
                page_lines += ["", *_table(history, outcomes, lang)]
        if page_lines:
            slug = Path(name).stem
            lines += ["", f"## [{title}]({name}) {{ #{slug} }}", *page_lines, "", text["same"]]
    return lines


def fill(markdown: str, lang: str, nav: list[str], root: Path = ROOT) -> str:
    """Replace MARKER with render()'s lines and RELEASES_MARKER with the releases' tables.

    Pages without the markers are returned unchanged.

    Raises:
        SnippetError: as render().
    """
    if RELEASES_MARKER in markdown:
        markdown = markdown.replace(RELEASES_MARKER, "\n".join(environments_table(lang)))
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, "\n".join(render(lang, nav, root)))
    return markdown
