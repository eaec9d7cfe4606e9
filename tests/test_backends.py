"""The backend command's comparisons and reports, and the guards on backend output files.

Nothing here runs jax or torch: the command's comparisons are fed results as its child
processes write them, and the guards read broken copies of the site. `make backends`
runs the snippets on every backend.
"""

import re

import pytest

from tests.conftest import edit
from tools import backend_table, backends, checks
from tools.backend_table import NAMES
from tools.snippets import (
    ROOT,
    backend_output_files,
    backend_output_text,
    code_hash,
    parse_backend_output,
)

SNIPPET = "snippets/test-bench/two-steps.md"
JAX = "snippets/test-bench/two-steps.jax.md"
PAGE_EN = "docs/en/test-bench.md"
PAGE_JA = "docs/ja/test-bench.md"
KERAS2 = "snippets/test-bench/keras2-two-steps.md"


def snippet_output(root, snippet=SNIPPET):
    (block,) = [b for b in backends.parse_snippet(root / snippet) if b.output is not None]
    return block.output.body


def add_jax_output(root, printed="something else\n", *, include=True):
    """Give the test-bench snippet a jax output file, included after it on both pages."""
    (root / JAX).write_text(
        backend_output_text(SNIPPET, "jax", [printed], code_hash(root / SNIPPET)), encoding="utf-8"
    )
    if include:
        for page in (PAGE_EN, PAGE_JA):
            edit(root / page, f'--8<-- "{SNIPPET}"\n', f'--8<-- "{SNIPPET}"\n\n--8<-- "{JAX}"\n')


def results(printed=None, error=None, snippet=SNIPPET, expected="a\n"):
    return {
        "backend": "jax",
        "blocks": [
            {
                "snippet": snippet,
                "line": 1,
                "expected": expected,
                "printed": printed,
                "error": error,
            }
        ],
    }


# --- The command: which snippets, which verified output, what it reports -------------


def test_keras2_snippets_are_not_run_on_other_backends():
    names = [p.name for p in backends.keras3_snippets()]
    assert "two-steps.md" in names
    assert not [name for name in names if name.startswith("keras2-")]
    assert "tf-keras-switch.md" in names  # it names TF_USE_LEGACY_KERAS, but is Keras 3


def test_a_backend_without_its_own_file_must_print_the_snippets_output(site_copy):
    expected = snippet_output(site_copy)
    for backend in ("tensorflow", "jax", "torch"):
        outputs, source = backends.expected_outputs(site_copy / SNIPPET, backend, site_copy)
        assert (outputs, source) == ([expected], SNIPPET)


def test_a_backend_output_file_replaces_the_snippets_output_for_that_backend_only(site_copy):
    add_jax_output(site_copy, "jax says\n")
    jax = backends.expected_outputs(site_copy / SNIPPET, "jax", site_copy)
    assert jax == (["jax says\n"], JAX)
    tf = backends.expected_outputs(site_copy / SNIPPET, "tensorflow", site_copy)
    assert tf == ([snippet_output(site_copy)], SNIPPET)


def test_a_matching_block_passes_and_a_differing_one_is_reported_with_a_diff(site_copy):
    expected = snippet_output(site_copy)
    assert backends.compare("jax", results(expected), site_copy) == (1, [])
    matched, reports = backends.compare("jax", results(expected + "extra\n"), site_copy)
    assert matched == 0 and len(reports) == 1
    (report,) = reports
    assert report.startswith(f"{SNIPPET}:1 on jax: output differs\n")
    assert f"--- verified ({SNIPPET})" in report
    assert "+++ printed with KERAS_BACKEND=jax" in report and "\n+extra" in report


def test_a_raising_block_is_reported_in_one_line(site_copy):
    matched, reports = backends.compare("torch", results(error="ValueError: boom"), site_copy)
    assert matched == 0
    assert reports == [f"{SNIPPET}:1 on torch: the block raised ValueError: boom"]


def test_refresh_writes_a_file_where_a_backend_differs_and_removes_it_where_not(site_copy):
    expected = snippet_output(site_copy)
    changed = backends.apply("jax", results("jax says\n", expected=expected), site_copy)
    assert changed == [f"written: {JAX}"]
    parsed = parse_backend_output(site_copy / JAX)
    assert (parsed.source, parsed.backend) == (SNIPPET, "jax")
    assert [f.body for f in parsed.outputs] == ["jax says\n"]
    assert backends.apply("jax", results("jax says\n", expected=expected), site_copy) == []
    changed = backends.apply("jax", results(expected, expected=expected), site_copy)
    assert changed == [f"removed: {JAX}"] and not (site_copy / JAX).exists()


def test_refresh_refuses_raising_blocks_and_tensorflow_drift():
    assert backends.refresh_problems("jax", results(error="IndexError: x"))
    assert backends.refresh_problems("tensorflow", results("b\n"))
    assert backends.refresh_problems("jax", results("b\n")) == []


def test_an_output_that_varies_between_runs_is_reported_once_with_a_diff():
    runs = [results("a\n"), results("a\n"), results("b\n"), results(error="ValueError: x")]
    (report,) = backends.variations("tensorflow", runs)
    assert report.startswith(
        f"{SNIPPET}:1 on tensorflow: varies between runs (3 different outputs in 4 runs)"
    )
    assert "print an invariant instead" in report and "-a\n+b" in report
    assert backends.variations("jax", [results("a\n")] * 3) == []


def test_a_backend_that_is_not_installed_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setitem(backends.BACKEND_MODULES, "jax", "no_such_module_for_this_test")
    assert backends.main(["--backend", "jax"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "backends: error: backend(s) not installed: jax" in err
    assert "make backends" in err


def test_an_unknown_snippet_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setitem(backends.BACKEND_MODULES, "tensorflow", "json")
    assert backends.main(["--backend", "tensorflow", "snippets/nowhere.md"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no snippet file snippets/nowhere.md" in err


def test_only_keras2_snippets_is_one_line_and_exit_2_not_a_run_of_everything(monkeypatch, capsys):
    monkeypatch.setitem(backends.BACKEND_MODULES, "tensorflow", "json")
    monkeypatch.setattr(backends, "run_backend", lambda *a: pytest.fail("ran a child"))
    assert backends.main(["--backend", "tensorflow", KERAS2]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no Keras 3 snippet among those given" in err


# --- The guards on backend output files ---------------------------------------------


def test_backend_output_files_are_not_snippets(site_copy):
    add_jax_output(site_copy)
    assert checks.check_snippet_blocks(site_copy) == []
    assert checks.check_backend_outputs(site_copy) == []
    assert checks.check_includes(site_copy) == []


def test_a_backend_output_file_shown_nowhere_is_caught(site_copy):
    add_jax_output(site_copy, include=False)
    assert f"{JAX}: included by no page" in checks.check_includes(site_copy)
    problems = checks.check_backend_outputs(site_copy)
    assert f"{PAGE_EN}: shows {SNIPPET} but not its output on jax, which differs ({JAX})" in (
        problems
    )


def test_a_page_showing_the_output_without_its_snippet_before_it_is_caught(site_copy):
    add_jax_output(site_copy)
    edit(
        site_copy / PAGE_EN,
        f'--8<-- "{SNIPPET}"\n\n--8<-- "{JAX}"\n',
        f'--8<-- "{JAX}"\n\n--8<-- "{SNIPPET}"\n',
    )
    problems = checks.check_backend_outputs(site_copy)
    assert f"{PAGE_EN}: includes {JAX} without including {SNIPPET} before it" in problems


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("<!-- jax output -->", "a backend output file starts with"),
        (
            f"<!-- output of {SNIPPET} with KERAS_BACKEND=torch; "
            "written by python -m tools.backends --refresh -->",
            "header names backend 'torch', the file name 'jax'",
        ),
        (
            "<!-- output of snippets/test-bench/missing.md with KERAS_BACKEND=jax; "
            "written by python -m tools.backends --refresh -->",
            "names snippet snippets/test-bench/missing.md, but the snippet it belongs to",
        ),
    ],
)
def test_a_backend_output_file_with_a_wrong_header_is_caught(site_copy, header, problem):
    add_jax_output(site_copy)
    text = (site_copy / JAX).read_text(encoding="utf-8").split("\n", 1)[1]
    (site_copy / JAX).write_text(f"{header}\n{text}", encoding="utf-8")
    problems = checks.check_backend_outputs(site_copy)
    assert any(p.startswith(f"{JAX}:1: ") and problem in p for p in problems), problems


@pytest.mark.parametrize("backend", ["tensorflow", "mxnet"])
def test_a_backend_output_file_for_tensorflow_or_an_unknown_backend_is_caught(site_copy, backend):
    other = f"snippets/test-bench/two-steps.{backend}.md"
    (site_copy / other).write_text(
        backend_output_text(SNIPPET, backend, ["x\n"], "0" * 16), encoding="utf-8"
    )
    problems = checks.check_backend_outputs(site_copy)
    assert any(p.startswith(f"{other}:1: unknown backend '{backend}'") for p in problems)


def test_a_backend_output_file_of_a_keras2_snippet_is_caught(site_copy):
    other = KERAS2.replace(".md", ".jax.md")
    (site_copy / other).write_text(
        backend_output_text(KERAS2, "jax", ["x\n"], "0" * 16), encoding="utf-8"
    )
    problems = checks.check_backend_outputs(site_copy)
    assert any(other in p and "is a Keras 2 snippet" in p for p in problems), problems


def test_a_backend_output_file_with_the_wrong_number_of_outputs_is_caught(site_copy):
    (site_copy / JAX).write_text(
        backend_output_text(SNIPPET, "jax", ["a\n", "b\n"], "0" * 16), encoding="utf-8"
    )
    problems = checks.check_backend_outputs(site_copy)
    assert f"{JAX}: holds 2 output block(s) for the 1 executed block(s) of {SNIPPET}" in problems


def test_code_in_a_backend_output_file_is_caught(site_copy):
    add_jax_output(site_copy)
    edit(site_copy / JAX, "```text\n", "```python\n")
    problems = checks.check_backend_outputs(site_copy)
    assert any(JAX in p and "only plain ```text blocks" in p for p in problems), problems


def test_unstable_output_in_a_backend_output_file_is_caught(site_copy):
    add_jax_output(site_copy, "<generator object at 0x7f3a2b1c0d90>\n")
    problems = checks.check_stable_outputs(site_copy)
    assert any(JAX in p and "memory address" in p for p in problems), problems


# --- The comparison page: tables generated from the verified outputs -----------------


def test_the_comparison_page_asks_for_the_tables_in_both_languages():
    for lang in ("ja", "en"):
        text = (ROOT / "docs" / lang / "backends.md").read_text(encoding="utf-8")
        assert text.count(backend_table.MARKER) == 1, lang


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_cell_of_the_comparison_is_a_line_of_a_verified_output(lang):
    outputs = backend_table.outputs()
    markdown = backend_table.render(lang)
    differing = {s for s, o in outputs.items() if len(set(o.values())) > 1}
    assert differing  # the page has tables to check at all
    assert differing == {
        f"snippets/{path.parent.name}/{path.name.split('.')[0]}.md"
        for path in backend_output_files()
    }
    rows = {}
    heading = None
    for line in markdown.splitlines():
        if line.startswith("### "):
            heading = "snippets/" + line.split("`")[1] + ".md"
        elif heading and line.startswith("| ") and line.split(" | ")[0][2:] in NAMES.values():
            rows[heading, line.split(" | ")[0][2:]] = line
    for snippet in differing:
        for backend, name in backend_table.NAMES.items():
            cell = rows[snippet, name].split(" | ")[1]
            quoted = cell.strip("` ").replace("\\|", "|")
            assert any(quoted == line.strip() for line in outputs[snippet][backend].splitlines()), (
                snippet,
                backend,
                cell,
            )
    for snippet in set(outputs) - differing:
        assert snippet.removeprefix("snippets/").removesuffix(".md") in markdown


def test_a_page_without_the_marker_is_left_alone():
    assert backend_table.fill("# Title\n\nText.\n", "en") == "# Title\n\nText.\n"


# --- The at-a-glance rows: one verified output line per backend ------------------------


def page_cells(lang):
    text = (ROOT / "docs" / lang / "backends.md").read_text(encoding="utf-8")
    return [(m["snippet"], m["prefix"]) for m in backend_table.CELLS.finditer(text)]


def test_both_languages_ask_for_the_same_cells_in_the_same_order():
    assert page_cells("ja") == page_cells("en")
    assert len(page_cells("en")) >= 5


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_cell_is_the_rest_of_one_line_of_that_backends_verified_output(lang):
    outputs = backend_table.outputs()
    for snippet, prefix in page_cells(lang):
        values = backend_table.cells(snippet, prefix)
        for backend, value in zip(backend_table.BACKENDS, values, strict=True):
            lines = [line.strip() for line in outputs[snippet][backend].splitlines()]
            rests = [line[len(prefix) :].strip() for line in lines if line.startswith(prefix)]
            assert rests == [value], (snippet, backend, value)
    filled = backend_table.fill(
        (ROOT / "docs" / lang / "backends.md").read_text(encoding="utf-8"), lang
    )
    assert "backend-cells" not in filled
    rows = [line for line in filled.splitlines() if line.startswith("| [")]
    assert len(rows) == len(page_cells(lang))
    assert all(line.count(" | ") == 3 for line in rows)


def test_a_cell_shows_what_differs_between_backends(site_copy):
    add_jax_output(site_copy, printed="call 1: [0]\ncall 2: [9, 9]\n")
    edit(site_copy / SNIPPET, "```text\n(14, 1)\n", "```text\ncall 2: [1, 2]\n(14, 1)\n")
    assert backend_table.cells(SNIPPET, "call 2:", site_copy) == ["[1, 2]", "[9, 9]", "[1, 2]"]


@pytest.mark.parametrize(
    ("snippet", "prefix", "problem"),
    [
        (
            SNIPPET,
            "no such line:",
            '0 lines of its output with KERAS_BACKEND=tensorflow start with "no such line:"',
        ),
        (SNIPPET, "", "lines of its output with KERAS_BACKEND=tensorflow start with"),
        (KERAS2, "x", f"{KERAS2}: not a Keras 3 snippet"),
    ],
)
def test_a_cell_that_matches_no_single_line_is_one_line_naming_the_snippet(
    snippet, prefix, problem
):
    with pytest.raises(backends.SnippetError) as raised:
        backend_table.cells(snippet, prefix)
    assert problem in str(raised.value)
    assert "\n" not in str(raised.value)


# --- Backend output files made from older code ---------------------------------------


def test_every_backend_output_file_records_the_code_it_was_made_from():
    files = backend_output_files()
    assert len(files) >= 10
    for path in files:
        parsed = parse_backend_output(path)
        assert parsed.code == code_hash(ROOT / parsed.source), path


def test_refresh_records_the_hash_of_the_snippets_code(site_copy):
    expected = snippet_output(site_copy)
    backends.apply("jax", results("jax says\n", expected=expected), site_copy)
    assert parse_backend_output(site_copy / JAX).code == code_hash(site_copy / SNIPPET)
    assert checks.check_backend_code(site_copy) == []


def test_a_backend_output_made_from_older_code_is_caught(site_copy):
    add_jax_output(site_copy)
    assert checks.check_backend_code(site_copy) == []
    edit(site_copy / SNIPPET, "steps=2, verbose=0", "steps=1, verbose=0")
    problems = checks.check_backend_code(site_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"{JAX}:1: made from other code than {SNIPPET} holds now")
    assert "run make backends ARGS=--refresh" in problems[0]


def test_an_output_edit_alone_does_not_make_backend_files_stale(site_copy):
    add_jax_output(site_copy)
    edit(site_copy / SNIPPET, "(14, 1)\n", "(14, 2)\n")
    assert checks.check_backend_code(site_copy) == []


def test_the_one_off_adds_hashes_to_old_headers_and_leaves_every_output_alone(site_copy):
    add_jax_output(site_copy, "jax says\n")
    text = (site_copy / JAX).read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    old_header = re.sub(r"code sha256 [0-9a-f]+; ", "", header)
    (site_copy / JAX).write_text(f"{old_header}\n{body}", encoding="utf-8")
    assert checks.check_backend_code(site_copy) == [
        f"{JAX}:1: records no hash of the code it was made from; run make backends ARGS=--refresh"
    ]
    assert backends.add_code_hashes(site_copy) == [f"hashed: {JAX}"]
    assert (site_copy / JAX).read_text(encoding="utf-8") == text
    assert backends.add_code_hashes(site_copy) == []  # a recorded hash is left alone


def test_the_one_off_refuses_a_file_it_would_change_beyond_the_header(site_copy):
    add_jax_output(site_copy, "jax says\n")
    text = (site_copy / JAX).read_text(encoding="utf-8")
    text = re.sub(r"code sha256 [0-9a-f]+; ", "", text) + "\nhand-written note\n"
    (site_copy / JAX).write_text(text, encoding="utf-8")
    with pytest.raises(backends.BackendsError, match="not as --refresh writes it"):
        backends.add_code_hashes(site_copy)
    assert (site_copy / JAX).read_text(encoding="utf-8") == text


# --- Other orders: an output must not depend on what ran before it ------------------


def fake_run_backend(calls):
    def run(backend, snippets):
        calls.append([backends.rel(p) for p in snippets])
        blocks = [
            {"snippet": backends.rel(p), "line": line, "expected": "", "printed": "", "error": None}
            for p in snippets
            for line in (1, 30)
        ]
        return {"backend": backend, "versions": {}, "blocks": blocks}, 1.0

    return run


@pytest.mark.parametrize("order", backends.ORDERS)
def test_each_order_runs_the_snippets_so_and_returns_blocks_in_file_order(monkeypatch, order):
    calls = []
    monkeypatch.setattr(backends, "run_backend", fake_run_backend(calls))
    snippets = [ROOT / SNIPPET, ROOT / "snippets/migration/new-calls.md"]
    results, _ = backends.run_in_order("tensorflow", snippets, order)
    names = [backends.rel(p) for p in snippets]
    assert (
        calls
        == {
            "file": [names],
            "reverse": [names[::-1]],
            "isolated": [[name] for name in names],
        }[order]
    )
    assert [(b["snippet"], b["line"]) for b in results["blocks"]] == [
        (name, line) for name in names for line in (1, 30)
    ]


def test_ci_runs_tensorflow_in_the_other_orders_too():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for order in ("reverse", "isolated"):
        assert f"python -m tools.backends --backend tensorflow --order {order}" in ci


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_backend_difference_is_explained_on_the_comparison_page(lang):
    assert backend_table.unexplained(lang) == []


def test_a_backend_difference_the_reasons_do_not_link_is_caught(site_copy):
    page = site_copy / "docs/en/backends.md"
    text = page.read_text(encoding="utf-8")
    # The reasons without their bullet on an epoch that trains on nothing (training.md).
    start = text.index("- **An epoch that trains on nothing**")
    end = text.index("- **An endless `PyDataset` with worker processes**")
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    assert backend_table.unexplained("en", site_copy) == ["snippets/training/ran-out.md"]
    assert backend_table.unexplained("ja", site_copy) == []
    edit(page, "{ #what-the-differences-come-from }", "{ #reasons }")
    with pytest.raises(backends.SnippetError, match=r"^docs/en/backends\.md: no section"):
        backend_table.unexplained("en", site_copy)
