"""Under ``mkdocs serve``, a rebuild skips the English site only after Japanese edits."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jinja2

from tools.hooks import english_site, template_cache
from tools.snippets import ROOT

JA = ROOT / "docs" / "ja"


def test_a_japanese_page_or_generated_file_alone_does_not_rebuild_english():
    assert not english_site.english_needs_rebuild(set(), JA)
    assert not english_site.english_needs_rebuild(
        {str(JA / "checklist.md"), str(JA / "notebooks/read-ahead.ipynb")}, JA
    )


def test_any_other_change_rebuilds_english():
    for other in ("docs/en/checklist.md", "snippets/test-bench/two-steps.md", "mkdocs.yml"):
        changed = {str(JA / "checklist.md"), str(ROOT / other)}
        assert english_site.english_needs_rebuild(changed, JA), other


def test_what_a_build_generates_in_either_language_does_not_rebuild_english():
    generated = {
        str(ROOT / "docs/en/notebooks/read-ahead.ipynb"),
        str(ROOT / "docs/en/figures/read-ahead-light.svg"),
        str(JA / "figures/read-ahead-dark.svg"),
    }
    assert not english_site.english_needs_rebuild(generated, JA)
    assert english_site.english_needs_rebuild(generated | {str(ROOT / "docs/en/notebooks.md")}, JA)


def test_changed_files_are_the_added_removed_and_modified_ones(tmp_path):
    for name in ("same", "modified", "removed"):
        (tmp_path / name).write_text(name)
    before = english_site.watched_files([tmp_path])
    (tmp_path / "modified").write_text("modified, longer")
    (tmp_path / "removed").unlink()
    (tmp_path / "added").write_text("added")
    after = english_site.watched_files([tmp_path])
    assert english_site.changed_files(before, after) == {
        str((tmp_path / name).resolve()) for name in ("modified", "removed", "added")
    }


#: Builds the site in one process as `mkdocs serve` does (the command is argv[2]), then
#: after each edit of argv[3] ([path, old, new], ...) again; prints each build's pages.
REBUILDS = """
import json, sys
from pathlib import Path

import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, command, edits = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
PAGES = ("test-bench/index.html", "en/test-bench/index.html")

def rebuild(first=False):
    config = load_config("mkdocs.yml", site_dir=str(site))
    if first:
        config.plugins.on_startup(command=command, dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    pages = {page: (site / page).read_text(encoding="utf-8") for page in PAGES}
    times = {page: (site / page).stat().st_mtime_ns for page in PAGES}
    print(json.dumps({"pages": pages, "times": times}))

rebuild(first=True)
for path, old, new in edits:
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
    rebuild()
"""


def rebuilds(root: Path, command: str, edits) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", REBUILDS, str(root / "site"), command, json.dumps(edits)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_serve_rebuilds_the_language_that_changed_and_both_for_a_snippet(site_to_build):
    ja, en = "test-bench/index.html", "en/test-bench/index.html"
    snippet = site_to_build / "snippets/test-bench/two-steps.md"
    assert "# An identity model" in snippet.read_text(encoding="utf-8")
    first, ja_edit, en_edit, snippet_edit = rebuilds(
        site_to_build,
        "serve",
        [
            [str(site_to_build / "docs/ja/test-bench.md"), "\n# ", "\nja-marker\n\n# "],
            [str(site_to_build / "docs/en/test-bench.md"), "\n# ", "\nen-marker\n\n# "],
            [str(snippet), "# An identity model", "# snippet-marker"],
        ],
    )
    assert "ja-marker" in ja_edit["pages"][ja]
    assert ja_edit["times"][en] == first["times"][en]  # English kept as it was
    assert "en-marker" in en_edit["pages"][en] and "ja-marker" in en_edit["pages"][ja]
    assert all("snippet-marker" in snippet_edit["pages"][page] for page in (ja, en))
    assert "en-marker" in snippet_edit["pages"][en]


def test_a_build_rebuilds_english_even_after_a_japanese_edit(site_to_build):
    first, again = rebuilds(
        site_to_build,
        "build",
        [[str(site_to_build / "docs/ja/test-bench.md"), "\n# ", "\nja-marker\n\n# "]],
    )
    en = "en/test-bench/index.html"
    assert again["times"][en] != first["times"][en]
    assert "ja-marker" in again["pages"]["test-bench/index.html"]


def test_templates_compile_once_per_process_and_again_when_edited(tmp_path):
    (tmp_path / "page.html").write_text("one {{ x }}")

    def render():
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
        template_cache.on_env(env, config=None, files=None)
        return env.get_template("page.html").render(x=1)

    compiled = []
    original = jinja2.Environment.compile
    jinja2.Environment.compile = lambda *a, **k: compiled.append(1) or original(*a, **k)
    try:
        assert render() == "one 1" and render() == "one 1"
        assert len(compiled) == 1  # the second environment reused the bytecode
        (tmp_path / "page.html").write_text("two {{ x }}")
        assert render() == "two 1"
    finally:
        jinja2.Environment.compile = original
