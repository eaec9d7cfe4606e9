"""Each pitfall page shows a figure drawn from a snippet's verified output block."""

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import edit
from tools import figures
from tools.figures import FIGURES, SCHEMES, FigureError, figure_path, figure_svgs
from tools.snippets import ROOT

PAGES = [(lang, name) for lang in ("ja", "en") for name in FIGURES]
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(figures/(?P<file>[\w-]+\.svg)#only-(?P<scheme>\w+)\)")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.parametrize(("lang", "name"), PAGES)
def test_each_pitfall_page_shows_its_figure_in_both_schemes_with_alt_text(lang, name):
    page = (ROOT / "docs" / lang / f"{name}.md").read_text(encoding="utf-8")
    images = {m["scheme"]: m for m in IMAGE.finditer(page)}
    assert set(images) == set(SCHEMES), f"docs/{lang}/{name}.md: {sorted(images)}"
    for scheme, image in images.items():
        assert image["file"] == f"{name}-{scheme}.svg"
        alt = image["alt"].strip()
        assert len(alt) > 20, alt
        assert bool(JAPANESE.search(alt)) == (lang == "ja"), f"alt not in {lang}: {alt}"


def test_figures_are_deterministic_and_labelled_in_the_page_language():
    figures._CACHE.clear()
    first = figure_svgs("read-ahead", "ja")
    figures._CACHE.clear()
    assert figure_svgs("read-ahead", "ja") == first
    assert first["light"] != first["dark"]
    assert "predict が返したサンプル" in first["light"]
    assert "returned by predict" in figure_svgs("read-ahead", "en")["dark"]
    assert "<dc:date>" not in first["light"] and "Date" not in first["light"]


def test_row_labels_and_legends_are_in_the_page_language():
    ja = figure_svgs("partial-batches", "ja")["light"]
    assert "wrapping_batches、steps=3" in ja and "repeated_passes、steps=2" in ja
    assert "wrapping, steps" not in ja and "repeated passes" not in ja
    assert "repeated passes, steps=3" in figure_svgs("partial-batches", "en")["light"]
    # Light samples come after the wrap from 9 to 0: the second pass and the third.
    legend = figure_svgs("order-and-steps", "ja")["light"]
    assert "9 から 0 に折り返したあと" in legend and "2 周目" not in legend


def one_line_error(topic: str, lang: str, root) -> str:
    """Draw ``topic``'s figure from the tree at ``root``; return its one-line FigureError."""
    with pytest.raises(FigureError) as error:
        figure_svgs(topic, lang, root)
    message = str(error.value)
    assert "\n" not in message, message
    return message


def test_a_generator_without_a_label_names_the_snippet_in_one_line(site_copy):
    edit(
        site_copy / "snippets/partial-batches/batch-by-batch.md",
        "wrapping, steps=2:",
        "cycling, steps=2:",
    )
    message = one_line_error("partial-batches", "ja", site_copy)
    assert message.startswith("snippets/partial-batches/batch-by-batch.md:")
    assert "'cycling'" in message


def test_editing_the_output_block_changes_the_figure(site_copy):
    snippet = site_copy / "snippets/read-ahead/pulled-vs-returned.md"
    before = figure_svgs("read-ahead", "en", site_copy)["light"]
    # Pretend Keras returned both batches: the second one is no longer "lost".
    edit(
        snippet,
        "returned by predict:       [0, 1, 2, 3, 4, 5, 6]",
        "returned by predict:       [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]",
    )
    after = figure_svgs("read-ahead", "en", site_copy)["light"]
    assert after != before
    assert "taken from the generator" in before and "taken from the generator" not in after


def test_a_malformed_output_block_names_the_snippet_in_one_line(site_copy):
    edit(
        site_copy / "snippets/reusing-generators/what-was-pulled.md",
        "call 2: returned [6, 7, 8]",
        "call 2: gave back [6, 7, 8]",
    )
    message = one_line_error("reusing-generators", "en", site_copy)
    assert "snippets/reusing-generators/what-was-pulled.md:43: output block" in message
    assert "gave back" in message


def test_a_malformed_output_block_fails_the_build_in_one_line(site_copy, tmp_path):
    edit(
        site_copy / "snippets/read-ahead/pulled-vs-returned.md",
        "pulled from the generator: [[0",
        "pulled from the generator: [[zero",
    )
    # The hook alone, as MkDocs calls it, without building the whole site.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tools.hooks import figures as hook;"
        "from mkdocs.exceptions import PluginError\n"
        "class Config: docs_dir = sys.argv[1] + '/docs/en'\n"
        "try: hook.on_pre_build(Config())\n"
        "except PluginError as e: print(e); sys.exit(1)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site_copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "snippets/read-ahead/pulled-vs-returned.md:" in lines[0], lines
    assert "Traceback" not in done.stderr


def test_only_changed_figures_are_rewritten(site_copy):
    shutil.rmtree(site_copy / "docs/en/figures", ignore_errors=True)  # a fresh checkout
    written = figures.write_figures(site_copy, languages=("en",))
    assert len(written) == len(FIGURES) * len(SCHEMES)
    assert figures.write_figures(site_copy, languages=("en",)) == []
    stale = figure_path(site_copy, "en", "gone", "light")
    stale.write_text("<svg/>", encoding="utf-8")
    assert figures.write_figures(site_copy, languages=("en",)) == []
    assert not stale.exists()


def test_a_figure_drawn_from_the_same_inputs_is_not_drawn_again(site_copy, monkeypatch):
    shutil.rmtree(site_copy / "docs/en/figures", ignore_errors=True)
    figures.write_figures(site_copy, languages=("en",))
    drawn = []
    monkeypatch.setattr(figures, "render", lambda *args: drawn.append(args) or "<svg/>")
    monkeypatch.setattr(figures, "_CACHE", {})  # as in a new build process
    assert figures.write_figures(site_copy, languages=("en",)) == [] and drawn == []
    # A changed output block, or a file whose key line is not its inputs': drawn again.
    edit(
        site_copy / "snippets/read-ahead/pulled-vs-returned.md",
        "returned by predict:       [0, 1, 2, 3, 4, 5, 6]",
        "returned by predict:       [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]",
    )
    edit(figure_path(site_copy, "en", "training", "dark"), "py from ", "py from 0")
    written = figures.write_figures(site_copy, languages=("en",))
    assert sorted(p.name for p in written) == [
        "read-ahead-dark.svg",
        "read-ahead-light.svg",
        "training-dark.svg",
        "training-light.svg",
    ]
    assert sorted(args[1:] for args in drawn) == [("en", "dark"), ("en", "dark")] + [
        ("en", "light"),
        ("en", "light"),
    ]


def test_figure_images_get_the_size_of_their_svg(tmp_path):
    (tmp_path / "a-light.svg").write_text(
        '<?xml version="1.0"?>\n<svg width="300pt" height="150.3pt" viewBox="0 0 300 150">'
    )
    html = '<p><img alt="x" src="../figures/a-light.svg#only-light" /> <img src="b.png"></p>'
    assert figures.sized_images(html, tmp_path) == (
        '<p><img alt="x" src="../figures/a-light.svg#only-light" width="400" height="200" />'
        ' <img src="b.png"></p>'
    )


def test_alignment_figures_mark_predictions_by_the_labels_above_them(site_copy):
    before = figure_svgs("shuffled-datasets", "en", site_copy)["light"]
    assert "prediction out of line with its label" in before
    # Pretend the second pass gave the labels in the order of the predictions.
    edit(
        site_copy / "snippets/shuffled-datasets/second-pass.md",
        "labels (second pass): [5, 6, 7, 1, 3, 0, 9, 8, 4, 2]",
        "labels (second pass): [0, 9, 5, 1, 2, 7, 3, 8, 6, 4]",
    )
    after = figure_svgs("shuffled-datasets", "en", site_copy)["light"]
    assert "prediction out of line with its label" not in after
    assert "prediction in line with its label" in after


def test_an_alignment_row_that_is_not_a_reordering_names_the_snippet_line(site_copy):
    edit(
        site_copy / "snippets/image-folders/predict-vs-classes.md",
        "predict saw images:         [2, 1, 4, 0, 3, 5]",
        "predict saw images:         [2, 1, 4, 0, 3, 3]",
    )
    message = one_line_error("image-folders", "en", site_copy)
    assert message.startswith("snippets/image-folders/predict-vs-classes.md:")
    assert "does not hold the same samples as its labels" in message
    edit(
        site_copy / "snippets/image-folders/predict-vs-classes.md",
        "predict saw images:         [2, 1, 4, 0, 3, 3]",
        "predict got images:         [2, 1, 4, 0, 3, 5]",
    )
    with pytest.raises(FigureError, match=r"predict-vs-classes\.md:\d+: output block has no line"):
        figure_svgs("image-folders", "en", site_copy)


def test_the_training_figure_shows_what_each_epoch_left_out(site_copy):
    snippet = site_copy / "snippets/training/ran-out.md"
    before = figure_svgs("training", "en", site_copy)["light"]
    assert "not trained on in that epoch" in before
    # Pretend every epoch trained on all 10 samples: nothing is left out any more.
    full = "[[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]"
    edit(snippet, "  epoch 2: []", f"  epoch 2: {full}")
    edit(snippet, "[[0, 1], [2, 3]]\n", f"{full}\n", count=-1)
    assert "not trained on in that epoch" not in figure_svgs("training", "en", site_copy)["light"]


def test_a_training_epoch_without_its_fit_call_names_the_line(site_copy):
    edit(site_copy / "snippets/training/ran-out.md", "steps_per_epoch=5\n", "")
    message = one_line_error("training", "en", site_copy)
    assert message.startswith("snippets/training/ran-out.md:")
    assert "epoch before any steps_per_epoch=" in message


def test_the_known_issues_figure_merges_backends_and_marks_the_batch_never_trained(site_copy):
    before = figure_svgs("known-issues", "en", site_copy)["light"]
    assert "use_multiprocessing=True (JAX, PyTorch)" in before
    assert "use_multiprocessing=False (TensorFlow, JAX, PyTorch)" in before
    assert "batch never trained on, in any epoch" in before
    assert (
        "use_multiprocessing=True(JAX、PyTorch)"
        in figure_svgs("known-issues", "ja", site_copy)["light"]
    )
    # Pretend JAX trained on batches 0 to 8 as TensorFlow did: it joins TensorFlow's row.
    edit(
        site_copy / "snippets/known-issues/multiprocessing-steps.jax.md",
        "True: trained on, epoch by epoch: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]",
        "True: trained on, epoch by epoch: [[0, 1, 2], [3, 4, 5], [6, 7, 8]]",
    )
    after = figure_svgs("known-issues", "en", site_copy)["light"]
    assert "use_multiprocessing=True (TensorFlow, JAX)" in after
    assert "use_multiprocessing=True (PyTorch)" in after
    edit(
        site_copy / "snippets/known-issues/multiprocessing-steps.torch.md",
        "True: trained on, epoch by epoch: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]",
        "True: trained on, epoch by epoch: [[0, 1, 2], [3, 4, 5], [6, 7, 8]]",
    )
    assert "never trained on" not in figure_svgs("known-issues", "en", site_copy)["light"]


def test_a_broken_backend_output_file_names_it_in_one_line(site_copy):
    edit(
        site_copy / "snippets/known-issues/multiprocessing-steps.torch.md",
        "KERAS_BACKEND=torch",
        "KERAS_BACKEND=jax",
    )
    message = one_line_error("known-issues", "en", site_copy)
    assert message.startswith("snippets/known-issues/multiprocessing-steps.torch.md:1:")


def test_the_keras2_workers_figure_draws_only_what_held_on_every_run(site_copy):
    snippet = site_copy / "snippets/keras2-workers/workers.md"
    before = figure_svgs("keras2-workers", "en", site_copy)["light"]
    assert (
        "UnknownError, no predictions (RuntimeError: Your generator is NOT thread-safe)" in before
    )
    assert "prediction whose sample changes from run to run" in before
    assert "repeats, out of order" in before
    ja = figure_svgs("keras2-workers", "ja", site_copy)["light"]
    assert "ジェネレーター、2 プロセス" in ja and "重複あり、順不同" in ja
    # Pretend the generator with processes gave 0..9 in order: its cells get numbers.
    edit(
        snippet,
        "  20 different samples: False\n  in order 0..19: False",
        "  20 different samples: True\n  in order 0..19: True",
    )
    after = figure_svgs("keras2-workers", "en", site_copy)["light"]
    assert "changes from run to run" not in after and "repeats" not in after


def test_a_keras2_workers_case_without_a_label_names_the_snippet_line(site_copy):
    edit(
        site_copy / "snippets/keras2-workers/workers.md",
        "generator, workers=2\n  Unknown",
        "generator, workers=3\n  Unknown",
    )
    message = one_line_error("keras2-workers", "en", site_copy)
    assert message.startswith("snippets/keras2-workers/workers.md:")
    assert "'generator, workers=3'" in message
