"""Notebooks are generated from the pages' snippets and really print their outputs."""

import os
import re

import nbformat
import pytest
from filelock import FileLock
from nbclient import NotebookClient

from tests.conftest import edit, run_temp
from tools.checks import JAPANESE
from tools.headings import headings, page_headings, strip_heading_ids
from tools.notebooks import (
    INSTALL_ID,
    install_command,
    notebook_for_page,
    notebook_path,
    pages_with_snippets,
    with_page_ids,
    write_notebooks,
)
from tools.snippets import INCLUDE, ROOT, SnippetError, parse_snippet
from tools.versions import pinned_versions

#: One worker runs them all (pytest-xdist), so the notebooks run in one kernel, once.
pytestmark = pytest.mark.xdist_group("notebooks")

PAGES = pages_with_snippets(ROOT)
TOPICS = [page.stem for page in PAGES["ja"]]


def snippet_blocks(page):
    blocks = []
    for line in page.read_text(encoding="utf-8").splitlines():
        if match := INCLUDE.match(line):
            blocks += [
                b for b in parse_snippet(ROOT / match.group("target")) if b.code.info == "python"
            ]
    return blocks


def is_install(cell):
    return cell.get("id") == INSTALL_ID


def code_cells(notebook):
    """The notebook's snippet cells (not the cell that installs the pins)."""
    return [cell for cell in notebook.cells if cell.cell_type == "code" and not is_install(cell)]


#: TensorFlow's Python logger writes to stdout, not stderr, when the session looks
#: interactive, as a Jupyter kernel does (tensorflow/python/platform/tf_logging.py:
#: "If we are in an interactive environment (like Jupyter), set loglevel to INFO and
#: pipe the output to stdout"). Its records ("WARNING:tensorflow:...", e.g. notes on
#: tf.function retracing, with a memory address) are logs, not what the code
#: printed. Dropping them is the only normalisation of notebook outputs.
TF_LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):tensorflow:.*\n?", re.MULTILINE)


def stdout_of(cell):
    printed = "".join(
        o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"
    )
    return TF_LOG_LINE.sub("", printed)


def test_both_languages_have_a_notebook_for_the_same_pages():
    assert [p.stem for p in PAGES["en"]] == TOPICS and TOPICS


@pytest.mark.parametrize("topic", TOPICS)
def test_notebook_code_and_outputs_are_the_snippets_in_both_languages(topic):
    blocks = snippet_blocks(ROOT / "docs" / "ja" / f"{topic}.md")
    for lang in ("ja", "en"):
        cells = code_cells(notebook_for_page(ROOT / "docs" / lang / f"{topic}.md"))
        assert [c.source + "\n" for c in cells] == [b.code.body for b in blocks], lang
        assert [stdout_of(c) for c in cells] == [b.output.body for b in blocks], lang


@pytest.fixture(scope="session")
def executed_cells(tmp_path_factory, pytestconfig):
    """Run every topic's notebook, in nav order, in ONE Jupyter kernel; return its cells.

    Returns ``{topic: [executed code cell, ...]}``. The code cells are the same in both
    languages (test above): running the Japanese notebooks proves both. One kernel for
    all topics, as the test command runs every snippet in one process: starting a kernel
    and importing TensorFlow costs more than most notebooks' cells. The cells run as one
    notebook (nbclient's public API) with ``allow_errors``, so a cell that raises is
    recorded in its own topic and the others still run. Once per test run: the first
    xdist worker that asks runs it under a file lock and writes the executed notebook
    beside the run's other shared files; any other worker reads that file (in one run
    the notebooks had run on both workers).
    """
    shared = run_temp(tmp_path_factory, pytestconfig)
    done = shared / "notebooks-executed.ipynb"
    spans, first = {}, 0
    for topic in TOPICS:
        count = len(code_cells(notebook_for_page(ROOT / "docs" / "ja" / f"{topic}.md")))
        spans[topic], first = (first, first + count), first + count
    with FileLock(str(shared / "notebooks.lock")):
        if not done.exists():
            combined = nbformat.v4.new_notebook()
            for topic in TOPICS:
                cells = code_cells(notebook_for_page(ROOT / "docs" / "ja" / f"{topic}.md"))
                for cell in cells:
                    cell.outputs = []
                combined.cells += cells
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            NotebookClient(
                combined,
                timeout=300,
                kernel_name="python3",
                allow_errors=True,
                resources={"metadata": {"path": tmp_path_factory.mktemp("notebooks")}},
            ).execute()
            nbformat.validate(combined)
            nbformat.write(combined, str(done))
    combined = nbformat.read(str(done), as_version=4)
    return {topic: combined.cells[first:last] for topic, (first, last) in spans.items()}


@pytest.mark.parametrize("topic", TOPICS)
def test_executing_the_notebook_prints_the_verified_outputs(topic, executed_cells):
    notebook = notebook_for_page(ROOT / "docs" / "ja" / f"{topic}.md")
    expected = [stdout_of(c) for c in code_cells(notebook)]
    assert any(expected), f"{topic}: no code cell with a verified output"
    cells = executed_cells[topic]
    errors = [
        f"cell {number}: {o.ename}: {o.evalue}"
        for number, cell in enumerate(cells, 1)
        for o in cell.outputs
        if o.output_type == "error"
    ]
    assert not errors, f"{topic} notebook raised:\n" + "\n".join(errors)
    assert [stdout_of(c) for c in cells] == expected


def test_content_tabs_become_labelled_prose_in_the_notebook():
    notebook = notebook_for_page(ROOT / "docs" / "en" / "reusing-generators.md")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert '=== "' not in markdown
    assert "**Keras 3**" in markdown and "**Keras 2 (tf_keras)**" in markdown
    # Prose inside a tab is dedented: indented by 4 spaces it would be a code block.
    assert "\nThe second call's batch varies" in markdown


def test_a_notebook_is_the_same_bytes_every_time_it_is_generated():
    # Random cell ids would rewrite every notebook on every build: mkdocs serve would
    # see a change, and mkdocs-jupyter's cache (keyed by the file's bytes) would miss.
    page = ROOT / "docs" / "en" / "test-bench.md"
    assert nbformat.writes(notebook_for_page(page)) == nbformat.writes(notebook_for_page(page))


def test_an_edited_page_or_snippet_is_in_its_notebook_at_the_next_build(site_copy):
    # Notebooks are made again only when their inputs changed (the same process keeps
    # them between mkdocs serve rebuilds): an edit must never leave a stale notebook.
    page = site_copy / "docs" / "en" / "test-bench.md"
    notebook = notebook_path(page)
    write_notebooks(site_copy, languages=("en",))
    assert write_notebooks(site_copy, languages=("en",)) == []
    edit(page, "\n# The test bench", "\npage-marker\n\n# The test bench")
    assert write_notebooks(site_copy, languages=("en",)) == [notebook]
    edit(site_copy / "snippets/test-bench/two-steps.md", "# An identity", "# snippet-marker")
    assert write_notebooks(site_copy, languages=("en",)) == [notebook]
    text = notebook.read_text(encoding="utf-8")
    assert "page-marker" in text and "snippet-marker" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_first_code_cell_installs_the_pins_and_says_so_in_the_pages_language(lang):
    notebook = notebook_for_page(ROOT / "docs" / lang / "test-bench.md")
    note, install = notebook.cells[1:3]
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert first_code is install and is_install(install) and not install.outputs
    pins = pinned_versions()
    assert install.source == (
        f"%pip install tensorflow=={pins['tensorflow']} keras=={pins['keras']} "
        f"tf-keras=={pins['tf-keras']} numpy=={pins['numpy']}"
    )
    assert "requirements.txt" in note.source
    assert ("インストール" in note.source) == (lang == "ja")
    assert ("installs the exact versions" in note.source) == (lang == "en")


def test_the_install_cell_follows_the_pins_of_the_requirements(site_copy):
    edit(site_copy / "requirements.txt", "keras==3.15.1", "keras==3.99.0")
    assert "keras==3.99.0" in install_command(site_copy / "requirements.txt")
    notebook = notebook_for_page(site_copy / "docs" / "en" / "test-bench.md", site_copy)
    assert "keras==3.99.0" in notebook.cells[2].source


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_notebook_headings_are_the_pages_without_their_ids(lang):
    # Jupyter has no attr_list: a heading's { #id } would be shown as text.
    for page in PAGES[lang]:
        notebook = notebook_for_page(page)
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert "{ #" not in markdown and "{#" not in markdown, page
        shown = [(h.level, h.text) for h in headings(markdown)]
        assert shown == [(h.level, h.text) for h in page_headings(page)], page


#: An entry of the table of contents Material draws in the secondary sidebar.
TOC_LINK = re.compile(
    r'<a href="(#[^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">(.*?)</span>', re.DOTALL
)
HTML_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.DOTALL)


def toc(html):
    """(href, text) of each entry of the page's own table of contents (right sidebar)."""
    before_content = html[: html.index('class="md-content"')]
    sidebar = before_content[before_content.rindex("md-nav--secondary") :]
    return [(href, " ".join(text.split())) for href, text in TOC_LINK.findall(sidebar)]


def title(html):
    return re.search(r"<title>(.*?)</title>", html).group(1)


@pytest.mark.parametrize(("lang", "topic"), [(lang, t) for lang in ("ja", "en") for t in TOPICS])
def test_notebook_page_has_its_pages_section_ids_table_of_contents_and_title(
    built_site, lang, topic
):
    site = built_site / ("en" if lang == "en" else "")
    page = (site / topic / "index.html").read_text(encoding="utf-8")
    notebook_page = (site / "notebooks" / topic / "index.html").read_text(encoding="utf-8")
    ids = [h.id for h in page_headings(ROOT / "docs" / lang / f"{topic}.md")]
    headings_shown = HTML_HEADING.findall(notebook_page)
    assert [heading_id for _, heading_id, _ in headings_shown] == ids
    # The table of contents keeps the headings' code spans as text, as the page's does
    # (mkdocs-jupyter's own dropped them: "is no longer an argument of or").
    assert toc(notebook_page) == toc(page) and toc(page)
    assert title(notebook_page) == title(page)
    notebook = (site / "notebooks" / topic / f"{topic}.ipynb").read_text(encoding="utf-8")
    for shown in (notebook_page, notebook):
        assert not re.search(r"\{:?\s*#[a-z]", shown)


def test_a_notebook_page_without_its_pages_headings_stops_the_build_in_one_line():
    tokens = [{"level": 1, "id": "test-bench", "name": "T", "children": []}]
    rendered = '<h1 id="t">T<a class="anchor-link" href="#t">¶</a></h1>'
    assert with_page_ids(rendered, tokens, "notebooks/x.ipynb") == (
        '<h1 id="test-bench">T<a class="anchor-link" href="#test-bench">¶</a></h1>'
    )
    with pytest.raises(SnippetError, match=r"^notebooks/x.ipynb: the notebook page has 2 head"):
        with_page_ids(rendered * 2, tokens, "notebooks/x.ipynb")


def test_heading_ids_are_read_and_stripped_outside_code_fences_only():
    markdown = "# Title { #title }\n\n```python\n# comment { #no }\n```\n\n## `x` { #x }\n## Bare\n"
    assert [(h.line, h.level, h.text, h.id) for h in headings(markdown)] == [
        (1, 1, "Title", "title"),
        (7, 2, "`x`", "x"),
        (8, 2, "Bare", None),
    ]
    assert strip_heading_ids(markdown) == markdown.replace(" { #title }", "").replace(" { #x }", "")


def test_admonitions_in_japanese_notebooks_have_japanese_titles():
    # An admonition becomes a quote with its title in bold (tools/notebooks.py); an
    # untitled one would get the English type name ("Note"), which tools/checks.py
    # rules out on Japanese pages.
    titles = [
        match.group(1)
        for page in PAGES["ja"]
        for cell in notebook_for_page(page).cells
        if cell.cell_type == "markdown"
        for match in re.finditer(r"^> \*\*(.+)\*\*$", cell.source, re.MULTILINE)
    ]
    assert titles and all(JAPANESE.search(title) for title in titles), titles
