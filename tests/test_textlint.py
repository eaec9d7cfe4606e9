"""The Japanese pages pass textlint (preset-ja-technical-writing and the terms of prh.yml).

textlint is an npm package pinned in package.json/package-lock.json and installed by
``npm ci`` (the Makefile's test step does it). Without Node.js or without ``npm ci`` the
tests that run it are skipped with one reason line, except with CI=true, where they fail.
"""

import os
import shutil

import pytest

from tests.conftest import edit
from tools import textlint
from tools.snippets import ROOT
from tools.textlint import CONFIG, TextlintError, introductions, japanese_files, lint


@pytest.fixture(scope="module")
def runnable():
    """Skip (or fail with CI=true) with one line when textlint cannot run here."""
    try:
        textlint.textlint_command()
    except TextlintError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {error}", pytrace=False)
        pytest.skip(f"{error} (with CI=true this fails)")


def style_copy(tmp_path, *pages):
    """A copy of the textlint config, the dictionary and some Japanese pages."""
    for name in (CONFIG, "prh.yml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "docs" / "ja").mkdir(parents=True)
    for page in pages:
        shutil.copy2(ROOT / "docs" / "ja" / page, tmp_path / "docs" / "ja" / page)
    return tmp_path


def test_the_japanese_pages_pass_textlint(runnable):
    problems = lint(japanese_files())
    if problems:
        pytest.fail(
            f"textlint found {len(problems)} problem(s) (fix the text, or the rule in "
            f"{CONFIG} / prh.yml with a reason):\n" + "\n".join(map(str, problems)),
            pytrace=False,
        )


def test_a_forbidden_term_and_a_preset_violation_fail_with_file_and_line(runnable, tmp_path):
    root = style_copy(tmp_path, "read-ahead.md")
    page = root / "docs/ja/read-ahead.md"
    # A forbidden term inside a content tab (indented: plain Markdown would skip it) ...
    edit(page, "    CPU での JAX と同じです。", "    CPU での JAX と同じジェネレータです。")
    # ... in an admonition's title, and a preset rule (ら抜き言葉) in ordinary prose.
    edit(page, '!!! warning "先読みされたバッチは失われる"', '!!! warning "デフォルトで失われる"')
    edit(page, "この点が、次に見る", "これで何も消費せずに見れる点が、次に見る")
    lines = page.read_text(encoding="utf-8").splitlines()
    tab = next(i for i, line in enumerate(lines, 1) if "同じジェネレータです" in line)
    title = next(i for i, line in enumerate(lines, 1) if "デフォルトで失われる" in line)
    prose = next(i for i, line in enumerate(lines, 1) if "見れる点" in line)

    problems = lint([page], root=root)
    found = [str(p) for p in problems]

    assert any(
        f.startswith(f"docs/ja/read-ahead.md:{tab}:") and "ジェネレータ => ジェネレーター" in f
        for f in found
    ), found
    assert any(
        f.startswith(f"docs/ja/read-ahead.md:{title}:") and "デフォルト => 既定" in f for f in found
    ), found
    assert any(
        f.startswith(f"docs/ja/read-ahead.md:{prose}:") and "no-dropping-the-ra" in f for f in found
    ), found
    # Columns are the page's own, although tab bodies and titles were moved for textlint.
    (term,) = [p for p in problems if p.line == tab and p.rule == "prh"]
    assert lines[tab - 1].index("ジェネレータ") + 1 == term.column
    (word,) = [p for p in problems if p.line == title and p.rule == "prh"]
    assert lines[title - 1].index("デフォルト") + 1 == word.column


def test_a_dictionary_spec_that_fails_stops_the_check_in_one_line(runnable, tmp_path):
    root = style_copy(tmp_path, "index.md")
    # prh tests each rule on its specs when it loads prh.yml: a wrong spec is an error.
    edit(root / "prh.yml", "to: Python のジェネレーターを渡す", "to: Python のジェネレータを渡す")
    with pytest.raises(TextlintError) as error:
        lint([root / "docs/ja/index.md"], root=root)
    assert "spec failed" in str(error.value) and "\n" not in str(error.value)


def test_peek_is_introduced_with_its_english_word_on_every_page_that_uses_it(tmp_path):
    assert introductions(japanese_files()) == []
    root = style_copy(tmp_path, "reusing-generators.md")
    page = root / "docs/ja/reusing-generators.md"
    edit(page, "覗き見(peek)", "覗き見")
    (problem,) = introductions([page], root=root)
    assert problem.startswith("docs/ja/reusing-generators.md:") and "覗き見(peek)" in problem


def test_mkdocs_blocks_become_plain_markdown_line_for_line():
    page = "\n".join(
        [
            "本文です。",
            '!!! note "メモ"',
            "    注記の本文です。",
            "",
            '=== "JAX"',
            "",
            '    --8<-- "snippets/x/y.md"',
            "",
            "    タブの本文です。",
            '<figure markdown="span">',
            "![代替テキスト](figures/a-light.svg#only-light) ![代替テキスト](b.svg#only-dark)",
            "<figcaption><code>steps=1</code> の図です。</figcaption>",
            "</figure>",
            "後の本文です。",
        ]
    )
    plain, shifts = textlint.plain_markdown(page)
    assert plain.split("\n") == [
        "本文です。",
        "#### メモ",
        "注記の本文です。",
        "",
        "",
        "",
        "",
        "",
        "タブの本文です。",
        "",
        "代替テキスト",
        "`steps=1` の図です。",
        "",
        "後の本文です。",
    ]
    assert shifts == {2: 10 - 5, 3: 4, 7: 4, 9: 4}  # the title starts at column 11
    readme, _ = textlint.plain_markdown(
        "# English\nEnglish text.\n## 日本語\n日本語です。", readme=True
    )
    assert readme == "\n\n## 日本語\n日本語です。"


def test_without_node_the_check_says_so_in_one_line(monkeypatch):
    monkeypatch.setattr(textlint.shutil, "which", lambda name: None)
    with pytest.raises(TextlintError) as error:
        textlint.textlint_command()
    assert "Node.js not found" in str(error.value) and "\n" not in str(error.value)


def test_without_npm_ci_the_check_says_so_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(textlint.shutil, "which", lambda name: "/usr/bin/node")
    with pytest.raises(TextlintError) as error:
        textlint.textlint_command(tmp_path)
    assert "npm ci" in str(error.value) and "\n" not in str(error.value)
