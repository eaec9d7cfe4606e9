"""Each promise of the site holds on this checkout, and each guard catches a break."""

import pytest

from tests.conftest import edit
from tools import checks
from tools.snippets import ROOT

SNIPPET = "snippets/test-bench/two-steps.md"
PAGE_EN = "docs/en/test-bench.md"


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda check: check.__name__)
def test_checkout_keeps_the_promise(check):
    assert check(ROOT) == []


@pytest.mark.parametrize("where", [SNIPPET, PAGE_EN])
def test_a_not_run_marker_with_an_empty_reason_is_caught(site_copy, where):
    path = site_copy / where
    if where == SNIPPET:
        edit(path, "```python\n", "<!-- not-run:   -->\n```console\n")
    else:
        path.write_text(
            path.read_text(encoding="utf-8") + "\n<!-- not-run: -->\n```sh\nmake serve\n```\n",
            encoding="utf-8",
        )
    problems = checks.all_problems(site_copy)
    assert any(p.startswith(f"{where}:") and "not-run marker needs a reason" in p for p in problems)


@pytest.mark.parametrize("info", ['python title="x.py"', "py", " python", "python3"])
def test_a_fence_pytest_codeblocks_would_skip_is_caught(site_copy, info):
    edit(site_copy / SNIPPET, "```python\n", f"```{info}\n")
    problems = checks.check_snippet_blocks(site_copy)
    assert any(SNIPPET + ":1:" in p and "never run" in p for p in problems), problems


def test_a_marked_unrun_fence_needs_a_reason(site_copy):
    edit(site_copy / SNIPPET, "```python\n", "<!-- not-run: -->\n```console\n")
    assert "not-run marker needs a reason" in " ".join(checks.check_snippet_blocks(site_copy))


def test_a_marked_unrun_fence_with_a_reason_is_listed_not_flagged(site_copy):
    (site_copy / PAGE_EN).write_text(
        (site_copy / PAGE_EN).read_text(encoding="utf-8")
        + "\n<!-- not-run: a shell command for readers -->\n```sh\nmake serve\n```\n",
        encoding="utf-8",
    )
    assert checks.check_page_fences(site_copy) == []
    assert any("a shell command for readers" in i for i in checks.deliberately_not_run(site_copy))


def test_a_code_block_without_output_block_is_caught(site_copy):
    text = (site_copy / SNIPPET).read_text(encoding="utf-8")
    (site_copy / SNIPPET).write_text(text.split("<!--pytest-codeblocks")[0], encoding="utf-8")
    assert "has no <!--pytest-codeblocks:expected-output-->" in " ".join(
        checks.check_snippet_blocks(site_copy)
    )


def test_code_typed_into_a_page_is_caught(site_copy):
    (site_copy / PAGE_EN).write_text(
        (site_copy / PAGE_EN).read_text(encoding="utf-8") + "\n```python\nprint(1)\n```\n",
        encoding="utf-8",
    )
    problems = checks.check_page_fences(site_copy)
    assert any(p.startswith(PAGE_EN) and "typed into a page" in p for p in problems)


def test_an_include_of_a_missing_file_is_caught(site_copy):
    edit(site_copy / PAGE_EN, "two-steps.md", "two-stepz.md")
    problems = checks.check_includes(site_copy)
    assert any("includes missing file snippets/test-bench/two-stepz.md" in p for p in problems)


def test_a_snippet_included_in_one_language_only_is_caught(site_copy):
    edit(site_copy / PAGE_EN, f'--8<-- "{SNIPPET}"', "")
    problems = checks.check_includes(site_copy)
    assert any("include different snippets" in p for p in problems), problems


def test_a_snippet_included_nowhere_is_caught(site_copy):
    orphan = site_copy / "snippets" / "test-bench" / "orphan.md"
    orphan.write_text((site_copy / SNIPPET).read_text(encoding="utf-8"), encoding="utf-8")
    assert "snippets/test-bench/orphan.md: included by no page" in checks.check_includes(site_copy)


def test_a_translated_tab_label_is_caught(site_copy):
    edit(site_copy / "docs/ja/test-bench.md", '=== "Keras 2 (tf_keras)"', '=== "Keras 2(tf_keras)"')
    problems = checks.check_tab_labels(site_copy)
    assert any("different content tabs" in p and "test-bench.md" in p for p in problems), problems


def test_a_page_in_one_language_only_is_caught(site_copy):
    (site_copy / "docs" / "ja" / "extra.md").write_text("# 追加\n", encoding="utf-8")
    problems = checks.check_languages(site_copy)
    assert "docs/ja/extra.md: page exists in one language only" in problems


def test_an_english_nav_of_its_own_is_caught(site_copy):
    config = site_copy / "mkdocs.en.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "nav:\n  - test-bench.md\n  - index.md\n",
        encoding="utf-8",
    )
    assert any("sets its own nav" in p for p in checks.check_languages(site_copy))


def test_a_page_missing_from_the_nav_is_caught(site_copy):
    edit(site_copy / "mkdocs.yml", "  - test-bench.md\n", "")
    problems = checks.check_languages(site_copy)
    assert "docs/en/test-bench.md: not in the nav of mkdocs.yml" in problems


@pytest.mark.parametrize(
    ("printed", "what"),
    [
        ("1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 21ms/step", "progress bar"),
        ("1/1 [==============================] - 0s 21ms/step", "timing"),
        ("done\rdone", "carriage return"),
        ("\x1b[1mbold\x1b[0m", "ANSI escape code"),
        ("<generator object counting_batches at 0x7f3a2b1c0d90>", "memory address"),
        ("saved to /home/user/preds.npy", "absolute path"),
        ("worker pid=12345 done", "thread or process id"),
        ("loaded by Thread-3", "thread or process id"),
        ("batch 2 built by ThreadPoolExecutor-0_0", "worker thread or process name"),
        ("loaded in ForkPoolWorker-3", "worker thread or process name"),
        ("current process: SpawnProcess-1", "worker thread or process name"),
        ("layers: ['input_layer_2', 'dense_3']", "Keras-numbered layer name"),
        ("<KerasTensor shape=(None, 1), name=keras_tensor_5>", "Keras-numbered layer name"),
        ("id(model) = 140234567890123", "decimal id()"),
        ("started 2026-11-30 01:16:34", "timestamp"),
        ("at 01:16:34", "timestamp"),
        ("time.time() = 1764465394.25", "timestamp"),
        ("seen: {'b', 'a', 'c'}", "set of strings, printed in hash order,"),
        ('frozenset({"x", "y"})', "set of strings, printed in hash order,"),
    ],
)
def test_unstable_output_is_caught(site_copy, printed, what):
    edit(site_copy / SNIPPET, "(14, 1)\n", f"(14, 1)\n{printed}\n")
    problems = checks.check_stable_outputs(site_copy)
    assert any(what in p and SNIPPET in p for p in problems), problems


@pytest.mark.parametrize(
    "printed",
    [
        "{'x': 1, 'y': 2}",
        "{'a': {'b': 1}}",
        "{1, 2, 3}",
        "steps_per_epoch=3 batch_size=4",
        "evaluate loss: 0.0",
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]",
        "pulled 1234567 samples",
        "2.21.0 3.15.1",
        "dense layer, Dense(1)",
        "MainThread",
    ],
)
def test_stable_lookalikes_are_not_flagged(site_copy, printed):
    edit(site_copy / SNIPPET, "(14, 1)\n", f"(14, 1)\n{printed}\n")
    assert checks.check_stable_outputs(site_copy) == []


def test_a_malformed_marker_gives_one_line_naming_the_file(site_copy):
    edit(
        site_copy / SNIPPET,
        "<!--pytest-codeblocks:expected-output-->",
        "<!-- pytest-codeblocks: expected output -->",
    )
    problems = checks.all_problems(site_copy)
    assert any(SNIPPET in p and "malformed pytest-codeblocks marker" in p for p in problems), (
        problems
    )
    assert all("\n" not in p for p in problems)


def test_an_unknown_language_folder_gives_one_line(site_copy):
    (site_copy / "docs" / "fr").mkdir()
    problems = checks.all_problems(site_copy)
    assert any("unknown language folder(s) fr" in p for p in problems), problems


# --- Content tabs as structure (tab label, include) ----------------------------------

MIGRATION = ("docs/en/migration.md", "docs/ja/migration.md")
JAX_OUT = "snippets/migration/old-calls-keras3.jax.md"
TORCH_OUT = "snippets/migration/old-calls-keras3.torch.md"


def test_the_tree_has_tabs_and_backend_outputs_under_them():
    pairs = [
        (label, t) for page in MIGRATION for _, label, t in checks.tabbed_includes(ROOT / page)
    ]
    assert ("JAX", JAX_OUT) in pairs and ("PyTorch", TORCH_OUT) in pairs
    assert ("Keras 3", SNIPPET) in [
        (label, t) for _, label, t in checks.tabbed_includes(ROOT / PAGE_EN)
    ]


def test_an_include_moved_out_of_its_tab_in_one_language_is_caught(site_copy):
    edit(site_copy / PAGE_EN, f'    --8<-- "{SNIPPET}"', f'--8<-- "{SNIPPET}"')
    assert checks.check_includes(site_copy) == []  # same includes, same order
    assert checks.check_tab_labels(site_copy) == []  # same labels
    problems = checks.check_tab_structure(site_copy)
    assert any("place their includes under different tabs" in p for p in problems), problems


def test_backend_outputs_swapped_between_their_tabs_are_caught(site_copy):
    for page in MIGRATION:
        text = (site_copy / page).read_text(encoding="utf-8")
        text = text.replace(JAX_OUT, "@@").replace(TORCH_OUT, JAX_OUT).replace("@@", TORCH_OUT)
        (site_copy / page).write_text(text, encoding="utf-8")
    problems = checks.check_tab_structure(site_copy)
    assert any(
        f'{JAX_OUT} is jax\'s output and belongs under the tab === "JAX", not under === "PyTorch"'
        in p
        for p in problems
    ), problems


def test_a_backend_output_outside_every_tab_is_caught(site_copy):
    for page in MIGRATION:
        edit(site_copy / page, f'    --8<-- "{TORCH_OUT}"', "")
        (site_copy / page).write_text(
            (site_copy / page).read_text(encoding="utf-8") + f'\n--8<-- "{TORCH_OUT}"\n',
            encoding="utf-8",
        )
    problems = checks.check_tab_structure(site_copy)
    assert any(TORCH_OUT in p and "outside every tab" in p for p in problems), problems


def test_a_tab_label_misspelt_the_same_way_in_both_languages_is_caught(site_copy):
    for page in MIGRATION:
        edit(site_copy / page, '=== "PyTorch"', '=== "Pytorch"')
    assert checks.check_tab_labels(site_copy) == []  # both languages agree
    problems = checks.check_tab_structure(site_copy)
    assert any("tab label 'Pytorch' is not one of the site's tab labels" in p for p in problems)


# --- Snippets that hold code, read alike by pytest-codeblocks and our parser ---------


@pytest.mark.parametrize(
    "text",
    ["", "Just prose now, the code is gone.\n", "```text\n(14, 1)\n```\n"],
    ids=["emptied", "prose", "output-only"],
)
def test_a_snippet_without_code_that_runs_is_caught(site_copy, text):
    (site_copy / SNIPPET).write_text(text, encoding="utf-8")
    problems = checks.check_snippets_run(site_copy)
    assert any(p.startswith(f"{SNIPPET}: holds no executed ```python block") for p in problems)


def test_pytest_codeblocks_and_our_parser_agree_on_every_snippet():
    from pytest_codeblocks import extract_from_file

    from tools.snippets import snippet_files

    counted = 0
    for path in snippet_files(ROOT):
        collected = [b for b in extract_from_file(path) if b.syntax == "python"]
        assert collected and all(b.expected_output is not None for b in collected), path
        counted += len(collected)
    assert counted >= 40  # every snippet of the site, not an empty glob


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "```python\n",
            "<!--pytest-codeblocks:skipfile-->\n\n```python\n",
            "skipfile--> makes pytest-codeblocks collect nothing",
        ),
        (
            "```text\n(14, 1)\n[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]\n```",
            "~~~text\n(14, 1)\n[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]\n~~~",
            "a ~~~ fence is not read by pytest-codeblocks",
        ),
        (
            "```python\n",
            "<!-- pytest.mark.xfail -->\n```python\n",
            "a pytest.mark marker (xfail, skip, skipif) lets a wrong output pass",
        ),
        (
            "```python\n",
            '<!--pytest.mark.skip(reason="slow")-->\n```python\n',
            "a pytest.mark marker (xfail, skip, skipif) lets a wrong output pass",
        ),
    ],
    ids=["skipfile", "tilde-output-fence", "xfail", "skip-with-reason"],
)
def test_forms_pytest_codeblocks_reads_otherwise_are_rejected(site_copy, old, new, problem):
    edit(site_copy / SNIPPET, old, new)
    problems = checks.check_snippet_forms(site_copy)
    assert any(p.startswith(f"{SNIPPET}:") and problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("```python\n", "<!--pytest-codeblocks:skipfile-->\n\n```python\n", "collects 0 block(s)"),
        (
            "```text\n(14, 1)\n[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]\n```",
            "~~~text\n(14, 1)\n[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]\n~~~",
            "reads this block otherwise (expected output: ours '(14, 1)",
        ),
    ],
    ids=["skipfile", "tilde-output-fence"],
)
def test_the_parity_check_sees_what_pytest_codeblocks_would_run(site_copy, old, new, problem):
    edit(site_copy / SNIPPET, old, new)
    problems = checks.check_snippets_run(site_copy)
    assert any(p.startswith(SNIPPET) and problem in p for p in problems), problems


# --- Tests that loop over nothing -----------------------------------------------------

EMPTY_GLOB_TEST = """import pytest


@pytest.mark.parametrize("path", [])  # as if a glob found no file
def test_each(path):
    assert path
"""


def run_empty_glob_test(root):
    import subprocess
    import sys

    (root / "tests").mkdir()
    (root / "tests" / "test_empty.py").write_text(EMPTY_GLOB_TEST, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "tests/test_empty.py",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_parametrize_over_nothing_fails_instead_of_skipping(site_copy):
    done = run_empty_glob_test(site_copy)
    assert done.returncode != 0 and "Empty parameter set" in done.stdout, done.stdout


def test_without_the_setting_it_would_pass_as_a_skip(site_copy):
    edit(site_copy / "pyproject.toml", 'empty_parameter_set_mark = "fail_at_collect"\n', "")
    done = run_empty_glob_test(site_copy)
    assert done.returncode == 0 and "1 skipped" in done.stdout, done.stdout


LINKS_PAGE = "docs/en/read-ahead.md"
TF_KERAS_LINK = "tf-keras/blob/v2.21.0/tf_keras/engine/data_adapter.py#L1284-L1285"
KERAS_LINK = "keras/blob/v3.15.1/keras/src/trainers/data_adapters/data_adapter_utils.py#L8"


def test_a_tf_keras_link_in_the_wheel_layout_is_caught(site_copy):
    edit(site_copy / LINKS_PAGE, TF_KERAS_LINK, TF_KERAS_LINK.replace("tf_keras/", "tf_keras/src/"))
    problems = checks.check_source_links(site_copy)
    assert any(
        p.startswith(LINKS_PAGE + ":") and "has no file tf_keras/src/engine/data_adapter.py" in p
        for p in problems
    ), problems


def test_a_link_to_a_missing_file_or_past_its_end_is_caught(site_copy):
    edit(site_copy / LINKS_PAGE, KERAS_LINK, KERAS_LINK.replace("data_adapter_utils", "no_such"))
    edit(site_copy / "docs/ja/read-ahead.md", KERAS_LINK, KERAS_LINK + "-L99999")
    problems = checks.check_source_links(site_copy)
    assert any(
        "keras-team/keras has no file keras/src/trainers/data_adapters/no_such.py" in p
        for p in problems
    ), problems
    assert any(p.startswith("docs/ja/read-ahead.md:") and "not L8-L99999" in p for p in problems)


def test_links_at_other_tags_are_not_checked(site_copy):
    edit(site_copy / LINKS_PAGE, KERAS_LINK, KERAS_LINK.replace("v3.15.1", "2.2.4"))
    assert checks.check_source_links(site_copy) == []


def test_a_heading_without_an_explicit_id_is_caught(site_copy):
    edit(site_copy / PAGE_EN, " { #first-experiment }", "")
    problems = checks.check_heading_ids(site_copy)
    assert any(
        p.startswith(PAGE_EN + ":") and "has no explicit id" in p and "First experiment" in p
        for p in problems
    ), problems
    # ...and the twin pages no longer list the same ids.
    assert any("different section ids" in p and "##?" in p for p in problems), problems


def test_twin_pages_with_different_section_ids_are_caught(site_copy):
    edit(site_copy / "docs/ja/test-bench.md", "{ #first-experiment }", "{ #first-run }")
    problems = checks.check_heading_ids(site_copy)
    assert problems == [
        "docs/ja/test-bench.md and docs/en/test-bench.md have different section ids: "
        "#test-bench ##first-run ##keras-2-next-to-keras-3 vs "
        "#test-bench ##first-experiment ##keras-2-next-to-keras-3"
    ]


def test_twin_pages_with_sections_in_another_order_are_caught(site_copy):
    page = site_copy / "docs/ja/test-bench.md"
    edit(page, "{ #first-experiment }", "{ #placeholder }")
    edit(page, "{ #keras-2-next-to-keras-3 }", "{ #first-experiment }")
    edit(page, "{ #placeholder }", "{ #keras-2-next-to-keras-3 }")
    assert any("different section ids" in p for p in checks.check_heading_ids(site_copy))


@pytest.mark.parametrize(
    ("heading_id", "what"),
    [("最初の実験", "not an English slug"), ("First_Experiment", "not an English slug")],
)
def test_a_section_id_that_is_no_english_slug_is_caught(site_copy, heading_id, what):
    edit(site_copy / PAGE_EN, "{ #first-experiment }", f"{{ #{heading_id} }}")
    assert any(what in p and PAGE_EN in p for p in checks.check_heading_ids(site_copy))


def test_a_section_id_used_twice_on_a_page_is_caught(site_copy):
    edit(site_copy / PAGE_EN, "{ #first-experiment }", "{ #keras-2-next-to-keras-3 }")
    problems = checks.check_heading_ids(site_copy)
    assert any("'keras-2-next-to-keras-3' is used twice" in p for p in problems), problems


@pytest.mark.parametrize("first_line", ["!!! note", '!!! note ""', '!!! note "Note"'])
def test_an_admonition_without_a_japanese_title_on_a_japanese_page_is_caught(site_copy, first_line):
    edit(site_copy / "docs/ja/cache-reset.md", '!!! note "メモ"', first_line)
    problems = checks.check_japanese_admonition_titles(site_copy)
    assert len(problems) == 1, problems
    assert problems[0].startswith("docs/ja/cache-reset.md:")
    assert "admonition without a Japanese title" in problems[0]


def test_a_collapsible_admonition_needs_a_japanese_title_too(site_copy):
    page = site_copy / "docs/ja/cache-reset.md"
    edit(page, '!!! note "メモ"', '??? note "メモ"')
    assert checks.check_japanese_admonition_titles(site_copy) == []
    edit(page, '??? note "メモ"', "???+ note")
    assert len(checks.check_japanese_admonition_titles(site_copy)) == 1


@pytest.mark.parametrize("item", ["- [ ] ", "* [x] ", "1. [ ] "])
def test_a_task_list_item_is_caught(site_copy, item):
    edit(
        site_copy / "docs/en/checklist.md",
        "- **Always pass `steps`",
        f"{item}**Always pass `steps`",
    )
    problems = checks.check_no_task_list_items(site_copy)
    assert len(problems) == 1 and problems[0].startswith("docs/en/checklist.md:"), problems


def test_a_pitfall_section_missing_from_the_symptom_index_is_caught(site_copy):
    edit(
        site_copy / "docs/en/symptoms.md",
        ",\n  [some batch sizes hide it](cache-reset.md#some-batch-sizes-hide-the-bug)",
        "",
    )
    problems = checks.check_symptom_index(site_copy)
    assert len(problems) == 1, problems
    assert problems[0].startswith("docs/en/symptoms.md: pitfall section ")
    assert "cache-reset.md#some-batch-sizes-hide-the-bug is not linked" in problems[0]


def test_a_new_pitfall_page_must_be_in_the_symptom_index(site_copy):
    for lang in ("ja", "en"):
        (site_copy / "docs" / lang / "new-pitfall.md").write_text(
            "# New { #new-pitfall }\n\n## Reproduction { #reproduction }\n\n"
            "## See also { #see-also }\n",
            encoding="utf-8",
        )
    problems = checks.check_symptom_index(site_copy)
    assert sorted(problems) == [
        f"docs/{lang}/symptoms.md: pitfall section new-pitfall.md#reproduction is not linked; "
        "add it to the entry of the symptom it explains (or name it in "
        "tools/symptom_index.py if it is not a pitfall)"
        for lang in ("en", "ja")
    ]


def test_a_broken_link_of_the_symptom_index_is_caught(site_copy):
    edit(
        site_copy / "docs/ja/symptoms.md",
        "(image-folders.md#class-order)",
        "(image-folders.md#class-ordr)",
    )
    edit(
        site_copy / "docs/ja/symptoms.md",
        "(cache-reset.md#reproduction)",
        "(cache-rest.md#reproduction)",
    )
    problems = checks.check_symptom_index(site_copy)
    assert any(p.endswith(": image-folders.md has no section #class-ordr") for p in problems), (
        problems
    )
    assert any(p.endswith(": link to a missing page cache-rest.md") for p in problems), problems
    assert (
        "docs/ja/symptoms.md: pitfall section image-folders.md#class-order is not linked"
        in " ".join(problems)
    )
