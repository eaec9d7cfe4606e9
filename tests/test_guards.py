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


def test_deliberately_unrun_blocks_all_have_reasons():
    for item in checks.deliberately_not_run(ROOT):
        assert item.split(": ", 1)[1].strip(), item


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
    ],
)
def test_unstable_output_is_caught(site_copy, printed, what):
    edit(site_copy / SNIPPET, "(14, 1)\n", f"(14, 1)\n{printed}\n")
    problems = checks.check_stable_outputs(site_copy)
    assert any(what in p and SNIPPET in p for p in problems), problems


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
