"""The Keras history: its committed files, their check, the page notes, the command's errors.

Nothing here installs or runs Keras: the history command's runs are faked with results
shaped as tools.snippet_run writes them.
"""

import subprocess
import sys

import pytest

from tests.conftest import edit
from tools import checks, history, history_files, history_pages
from tools.history_releases import RELEASES, releases_of
from tools.snippets import ROOT, parse_backend_output, parse_snippet, snippet_files

SNIPPET = "snippets/order-and-steps/in-order.md"
HISTORY = "history/order-and-steps/in-order.yml"
JAX_SNIPPET = "snippets/read-ahead/how-many-pulled.md"
JAX_HISTORY = "history/read-ahead/how-many-pulled.yml"
KERAS2 = "snippets/cache-reset/keras2-leaky-batches.md"


def outputs(path):
    return [b.output.body for b in parse_snippet(path) if b.code.executed and b.output is not None]


def fake_caches(root, change_at=None, old="old output\n"):
    """Caches as the command keeps them: every release printed the snippets' outputs.

    With ``change_at``, SNIPPET printed ``old`` on the Keras releases before it.
    """
    caches = {release: {"blocks": {}, "versions": {}} for release in RELEASES}
    labels = [r.label for r in releases_of("keras")]
    for path in snippet_files(root):
        name = path.relative_to(root).as_posix()
        codes = history_files.block_codes(path)
        package = history_files.package_of(path)
        for backend in history_files.backends_of(path):
            if backend == "jax":
                printed = [
                    f.body for f in parse_backend_output(path.with_suffix(".jax.md")).outputs
                ]
            else:
                printed = outputs(path)
            for release in releases_of(package):
                shown = printed
                if (
                    name == SNIPPET
                    and change_at
                    and labels.index(release.label) < labels.index(change_at)
                ):
                    shown = [old]
                runs = [[{"printed": p, "error": None, "stderr": ""} for p in shown]]
                caches[release]["blocks"].setdefault(backend, {})[name] = {
                    "code": codes,
                    "runs": runs,
                }
    return caches


def test_the_committed_history_holds_every_snippet():
    assert history_files.check_history(ROOT) == []
    assert len(list((ROOT / "history").rglob("*.yml"))) == len(snippet_files(ROOT))


def test_ranges_round_trip():
    order = [r.label for r in releases_of("keras")]
    labels = [order[0], order[1], order[4], order[-1]]
    text = history_files.format_ranges(labels, order)
    assert text == f"{order[0]}\u2013{order[1]}, {order[4]}, {order[-1]}"
    assert history_files.parse_ranges(text, order) == labels


def test_written_files_pass_the_check_and_record_a_change(site_copy):
    history_files.write_all(fake_caches(site_copy, change_at="3.1.1"), site_copy)
    assert history_files.check_history(site_copy) == []
    text = (site_copy / HISTORY).read_text(encoding="utf-8")
    assert "releases: 3.0.5\u20133.1.0\n" in text
    assert "releases: 3.1.1\u20133.15.1\n" in text
    # a second write from the same results changes nothing
    assert history_files.write_all(fake_caches(site_copy, change_at="3.1.1"), site_copy) == []


def test_a_snippet_changed_since_its_history_is_caught(site_copy):
    history_files.write_all(fake_caches(site_copy), site_copy)
    edit(site_copy / SNIPPET, "over and over.", "again and again.")
    problems = history_files.check_history(site_copy)
    assert problems == [
        f"{HISTORY}: recorded from other code than {SNIPPET} holds now; its history is stale: "
        "run make history"
    ]


def test_a_pinned_output_that_is_not_the_snippets_is_caught(site_copy):
    history_files.write_all(fake_caches(site_copy), site_copy)
    first = outputs(site_copy / SNIPPET)[0].split("\n")[0]
    edit(site_copy / SNIPPET, first, first + " (edited)")
    problems = history_files.check_history(site_copy)
    assert len(problems) == 1
    assert "the pinned release 3.15.1 printed something else than" in problems[0]


def test_a_jax_output_that_is_not_the_historys_is_caught(site_copy):
    history_files.write_all(fake_caches(site_copy), site_copy)
    jax = site_copy / JAX_SNIPPET.replace(".md", ".jax.md")
    body = parse_backend_output(jax).outputs[0].body
    edit(jax, body.split("\n")[0], body.split("\n")[0] + " (edited)")
    problems = history_files.check_history(site_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"{JAX_HISTORY}: block 1 on jax: the pinned release")


def test_a_hand_edited_missing_or_orphan_history_file_is_caught(site_copy):
    history_files.write_all(fake_caches(site_copy), site_copy)
    edit(site_copy / HISTORY, "releases:", "releases:  ")
    (site_copy / "history/cache-reset/keras2-leaky-batches.yml").unlink()
    (site_copy / "history/orphan.yml").write_text("snippet: x\n", encoding="utf-8")
    problems = history_files.check_history(site_copy)
    assert problems == [
        f"{KERAS2}: no history recorded (history/cache-reset/keras2-leaky-batches.yml is "
        "missing); run make history",
        f"{HISTORY}: not as make history writes it (edited by hand?); run make history",
        "history/orphan.yml: history of no snippet; run make history",
    ]


def test_the_check_runs_in_the_test_command(site_copy):
    assert history_files.check_history in checks.CHECKS
    assert history_pages.check_changes in checks.CHECKS
    assert not [p for p in checks.all_problems(site_copy) if "history" in p]
    (site_copy / HISTORY).unlink()
    assert any("no history recorded" in p for p in checks.all_problems(site_copy))


def test_a_note_says_what_older_releases_printed(site_copy):
    history_files.write_all(fake_caches(site_copy, change_at="3.1.1"), site_copy)
    lines = history_pages.note(SNIPPET, "en", site_copy)
    assert lines[1] == '??? note "What Keras 3.0.5\u20133.1.0 printed"'
    assert "    The output above is what Keras 3.1.1\u20133.15.1 printed." in lines
    assert "        old output" in lines
    ja = history_pages.note(SNIPPET, "ja", site_copy)
    assert ja[1] == '??? note "Keras 3.0.5\u20133.1.0 での出力"'
    # an unchanged snippet gets no note
    assert history_pages.note("snippets/order-and-steps/finite-generator.md", "en", site_copy) == []


def test_the_note_follows_the_include_at_its_indent(site_copy):
    history_files.write_all(fake_caches(site_copy, change_at="3.7.0"), site_copy)
    page = f'=== "A"\n\n    --8<-- "{SNIPPET}"\n\nafter\n'
    out = history_pages.add_notes(page, "en", site_copy)
    assert '\n    ??? note "What Keras 3.0.5\u20133.6.0 printed"\n' in out
    assert out.endswith("\nafter\n")


def test_the_versions_page_lists_the_change_per_section(site_copy):
    history_files.write_all(fake_caches(site_copy, change_at="3.7.0"), site_copy)
    text = history_pages.fill(
        f"{history_pages.MARKER}\n{history_pages.RELEASES_MARKER}\n",
        "en",
        ["order-and-steps.md"],
        site_copy,
    )
    assert "## [" in text and "{ #order-and-steps }" in text
    assert "| Keras 3.0.5\u20133.6.0 | <code>old output</code> |" in text
    assert "| 3.15.1 | 2.21.0 | 0.10.2 |" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "9.9"], "history: error: unknown release '9.9'; the history has"),
        (["--rerun", "3.99.0"], "history: error: unknown release '3.99.0'"),
        (["--runs", "0"], "history: error: --runs must be at least 1, not 0"),
    ],
)
def test_bad_input_gives_one_line(argv, message):
    done = subprocess.run(
        [sys.executable, "-m", "tools.history", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def test_the_release_list_ends_at_the_pins():
    from tools.versions import REQUIREMENTS, pinned_versions

    pins = pinned_versions(REQUIREMENTS)
    assert releases_of("keras")[-1].version == pins["keras"]
    assert releases_of("tf-keras")[-1].version == pins["tf-keras"]
    assert history.find_release("tf-keras==2.18.0").label == "tf_keras-2.18.0"


def test_the_note_comes_after_the_source_link_of_the_include(site_copy):
    history_files.write_all(fake_caches(site_copy, change_at="3.7.0"), site_copy)
    page = f'--8<-- "{SNIPPET}"\n\n[{SNIPPET}](https://x)\n{{ .snippet-source }}\n\nafter\n'
    out = history_pages.add_notes(page, "en", site_copy).split("\n")
    assert out[:4] == [f'--8<-- "{SNIPPET}"', "", f"[{SNIPPET}](https://x)", "{ .snippet-source }"]
    assert out[5].startswith("??? note")
    assert out[-2:] == ["after", ""]


def test_the_versions_page_and_the_notes_are_built_in_both_languages(built_site):
    for prefix, note_title in (("", "での出力</summary>"), ("en/", " printed</summary>")):
        page = (built_site / prefix / "versions/index.html").read_text(encoding="utf-8")
        assert page.count("<table>") >= 3 and "<td>3.15.1</td>" in page
        assert history_pages.MARKER not in page and history_pages.RELEASES_MARKER not in page
        notes = (built_site / prefix / "reusing-generators/index.html").read_text(encoding="utf-8")
        assert '<details class="note">' in notes and note_title in notes


def test_an_unreadable_history_file_stops_the_build_in_one_line(site_copy, tmp_path):
    from tests.test_site_build import build

    (site_copy / "history/reusing-generators/same-instance.yml").write_text("blocks: [\n")
    done = build(site_copy, tmp_path / "out")
    assert done.returncode != 0
    assert "Keras history: history/reusing-generators/same-instance.yml: cannot read" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_release_whose_runs_differ_is_recorded_and_shown_as_varying(site_copy):
    caches = fake_caches(site_copy)
    first = releases_of("keras")[0]
    kept = caches[first]["blocks"]["tensorflow"][SNIPPET]
    kept["runs"].append([{"printed": "another\n", "error": None, "stderr": ""}])
    history_files.write_all(caches, site_copy)
    assert history_files.check_history(site_copy) == []
    text = (site_copy / HISTORY).read_text(encoding="utf-8")
    assert "releases: 3.0.5\n    varied:\n" in text
    lines = history_pages.note(SNIPPET, "en", site_copy)
    assert "    - Keras 3.0.5: the output was not the same in every run; the runs printed:" in lines
    assert "            another" in lines


def test_a_note_links_the_pull_request_of_a_change_only_for_the_snippets_it_explains(
    site_copy, monkeypatch
):
    history_files.write_all(fake_caches(site_copy, change_at="3.7.0"), site_copy)
    change = history_pages.Change("3.7.0", 20396, (SNIPPET,))
    monkeypatch.setattr(history_pages, "CHANGES", (change,))
    link = "[keras-team/keras#20396](https://github.com/keras-team/keras/pull/20396)"
    assert f"    Keras 3.7.0 changed this: {link}." in history_pages.note(SNIPPET, "en", site_copy)
    monkeypatch.setattr(history_pages, "CHANGES", (history_pages.Change("3.5.0", 1, (SNIPPET,)),))
    assert not any("changed this" in x for x in history_pages.note(SNIPPET, "en", site_copy))


def test_a_pull_request_linked_where_the_runs_show_no_change_is_caught(site_copy, monkeypatch):
    history_files.write_all(fake_caches(site_copy, change_at="3.7.0"), site_copy)
    monkeypatch.setattr(history_pages, "CHANGES", (history_pages.Change("3.7.0", 1, (SNIPPET,)),))
    assert history_pages.check_changes(site_copy) == []
    monkeypatch.setattr(history_pages, "CHANGES", (history_pages.Change("3.5.0", 1, (SNIPPET,)),))
    assert history_pages.check_changes(site_copy) == [
        f"tools/history_pages.py: CHANGES: keras-team/keras#1 is linked for {SNIPPET} on "
        "tensorflow, whose history shows no change at Keras 3.5.0"
    ]


def test_prune_removes_each_environment_after_its_last_release_of_the_run():
    last = history.last_of_environments(list(RELEASES))
    assert {r.label for r in last} == {
        "tf_keras-2.15.1",
        "tf_keras-2.16.0",
        "tf_keras-2.17.0",
        "tf_keras-2.18.0",
        "tf_keras-2.19.0",
        "tf_keras-2.20.1",
        "tf_keras-2.21.0",
    }
    only = [history.find_release("3.7.0"), history.find_release("3.5.0")]
    assert {r.label for r in history.last_of_environments(only)} == {"3.5.0"}
