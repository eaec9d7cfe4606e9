"""A reader's own version (tools/mine.py): the comparison, the report, bad input, a real run."""

import hashlib
import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import edit
from tools import mine, snippet_run
from tools.snippets import ROOT, parse_snippet

RAN_OUT = "snippets/training/ran-out.md"  # has a .jax.md and a .torch.md output file
KERAS2 = "snippets/training/keras2-ran-out.md"


def outputs(snippet, root=ROOT):
    return [b.output.body for b in parse_snippet(root / snippet) if b.output is not None]


def block(snippet, printed, error=None, line=1):
    return {"snippet": snippet, "line": line, "printed": printed, "error": error, "stderr": ""}


def results(*blocks):
    return {"versions": {"tensorflow": "2.19.1", "keras": "3.8.0"}, "blocks": list(blocks)}


def test_a_block_that_prints_the_site_output_is_the_same():
    (outcome,) = mine.compare(results(block(RAN_OUT, outputs(RAN_OUT)[0])), "tensorflow")
    assert (outcome.kind, outcome.source, outcome.detail) == ("same", RAN_OUT, [])


def test_a_different_output_gives_a_short_diff_naming_its_file():
    printed = outputs(RAN_OUT)[0].replace("epoch 2: []", "epoch 2: [[0, 1]]")
    (outcome,) = mine.compare(results(block(RAN_OUT, printed)), "tensorflow")
    assert outcome.kind == "differs"
    assert outcome.detail[:2] == [f"--- on the site ({RAN_OUT})", "+++ printed here"]
    assert "-  epoch 2: []" in outcome.detail and "+  epoch 2: [[0, 1]]" in outcome.detail
    assert len(outcome.detail) < 10  # one line of context, not the whole output


def test_on_jax_a_keras3_snippet_compares_with_its_jax_file_and_keras2_with_its_own():
    jax_file = "snippets/training/ran-out.jax.md"
    jax_output = mine.expected_outputs(ROOT / RAN_OUT, "jax")[0][0]
    assert jax_output != outputs(RAN_OUT)[0]
    found = mine.compare(
        results(
            block(RAN_OUT, jax_output),
            block(KERAS2, outputs(KERAS2)[0]),
        ),
        "jax",
    )
    assert [(o.kind, o.source) for o in found] == [("same", jax_file), ("same", KERAS2)]
    (outcome,) = mine.compare(results(block(RAN_OUT, outputs(RAN_OUT)[0])), "jax")
    assert (outcome.kind, outcome.source) == ("differs", jax_file)


def test_an_exception_is_its_first_line_and_a_missing_package_is_not_run():
    found = mine.compare(
        results(
            block(RAN_OUT, None, "AttributeError: module 'keras' has no attribute 'ops'"),
            block(KERAS2, None, "ModuleNotFoundError: No module named 'tf_keras'"),
            block(RAN_OUT, None, "ModuleNotFoundError: No module named 'keras.src.x'", 9),
        ),
        "tensorflow",
    )
    assert [(o.kind, o.detail) for o in found] == [
        ("raises", ["AttributeError: module 'keras' has no attribute 'ops'"]),
        # Keras is there, an older one without that module: the block raises.
        ("raises", ["ModuleNotFoundError: No module named 'keras.src.x'"]),
        ("not run", ["needs tf_keras, which is not installed here"]),
    ]


def test_a_block_that_uses_tf_keras_is_not_run_when_tf_keras_is_missing():
    # TensorFlow's switch to tf_keras says "Keras cannot be imported" without it.
    switch = "snippets/migration/tf-keras-switch.md"
    error = "ImportError: Keras cannot be imported. Check that it is installed."
    (outcome,) = mine.compare(results(block(switch, None, error)), "tensorflow")
    assert (outcome.kind, outcome.detail) == (
        "not run",
        [f"needs tf_keras, which is not installed here (it raised {error})"],
    )
    with_tf_keras = {**results(block(switch, None, error)), "versions": {"tf-keras": "2.19.0"}}
    (outcome,) = mine.compare(with_tf_keras, "tensorflow")
    assert (outcome.kind, outcome.detail) == ("raises", [error])


def test_the_runner_keeps_one_line_of_an_exception():
    assert snippet_run.error_line(ValueError("bad\nmore")) == "ValueError: bad"
    assert snippet_run.error_line(KeyError()) == "KeyError"
    in_layer = AttributeError(
        "Exception encountered when calling layer 'record' (type Record).\n\n"
        "module 'keras' has no attribute 'ops'\n\nCall arguments received by layer 'record':"
    )
    assert snippet_run.error_line(in_layer) == (
        "AttributeError: Exception encountered when calling layer 'record' (type Record). "
        "module 'keras' has no attribute 'ops'"
    )
    keras3 = ValueError(
        "Exception encountered when calling Record.call().\n\n\x1b[1mboom\x1b[0m\n\nArguments"
    )
    assert snippet_run.error_line(keras3) == (
        "ValueError: Exception encountered when calling Record.call(). boom"
    )
    child = RuntimeError(
        'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\n'
        "ModuleNotFoundError: No module named 'tf_keras'\n"
    )
    assert snippet_run.error_line(child) == "ModuleNotFoundError: No module named 'tf_keras'"


def test_the_report_names_page_title_path_snippet_and_sums_up():
    printed = outputs(RAN_OUT)[0].replace("epoch 2: []", "epoch 2: [[0, 1]]")
    found = mine.compare(
        results(block(RAN_OUT, printed), block(KERAS2, outputs(KERAS2)[0])), "tensorflow"
    )
    text = mine.render(results(), found, "tensorflow", "en", ROOT)
    assert text.startswith(
        '== Training with generators: "training stops at epoch 2" and `steps_per_epoch` '
        "(docs/en/training.md) ==\n"
        f"{RAN_OUT}, block at line 1: differs (also on docs/ja/training.md)\n"
        f"    --- on the site ({RAN_OUT})\n"
    )
    summary = text.splitlines()[-1]
    assert summary.startswith(
        "mine: 1 of 2 blocks print what the site shows, 1 differ, 0 raise, 0 not run "
        "(1 page(s) affected), with tensorflow 2.19.1, keras 3.8.0 on Keras backend tensorflow;"
        " the site shows tensorflow 2.21.0, keras 3.15.1"
    )
    on_jax = {"versions": {"keras": "3.8.0", "jax": "0.4.30"}}
    assert "with keras 3.8.0, jax 0.4.30 on Keras backend jax;" in mine.render(
        on_jax, found, "jax", "en", ROOT
    )
    text = mine.render(results(), found, "tensorflow", "ja", ROOT)
    assert "(docs/ja/training.md) ==" in text and "also on docs/en/training.md" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snippets/nowhere.md"], "no snippet file snippets/nowhere.md (give paths such as"),
        (["snippets/training/ran-out.jax.md"], "no snippet file snippets/training/ran-out.jax.md"),
        (["--backend", "mxnet"], "unknown Keras backend 'mxnet'; choose one of tensorflow, jax"),
    ],
)
def test_bad_input_is_one_line(argv, message, capsys):
    assert mine.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mine: error: {message}") and err.count("\n") == 1, err


def test_a_backend_not_installed_is_one_line(monkeypatch, capsys):
    real = mine.importlib.util.find_spec
    monkeypatch.setattr(
        mine.importlib.util, "find_spec", lambda name: None if name == "jax" else real(name)
    )
    assert mine.main(["--backend", "jax"]) == 2
    assert capsys.readouterr().err.startswith("mine: error: backend jax is not installed here")


def test_a_crashing_snippet_run_is_one_line(site_copy, capsys):
    (site_copy / "tools/snippet_run.py").write_text(
        "import sys\nprint('boom: the runner crashed', file=sys.stderr)\nsys.exit(3)\n",
        encoding="utf-8",
    )
    assert mine.main([RAN_OUT], root=site_copy) == 2
    assert capsys.readouterr().err == (
        "mine: error: the snippet run failed (exit 3): boom: the runner crashed\n"
    )


def test_the_version_drift_line_points_to_the_command(monkeypatch):
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    drift = ["keras 3.8.0 (pinned 3.15.1)"]
    monkeypatch.setattr(root_conftest.versions, "version_drift", lambda: drift)
    line = root_conftest.pytest_report_header(None)
    assert line.startswith("VERSION DRIFT: installed versions differ from requirements.txt (")
    assert "`python -m tools.mine` (make check-mine) lists, page by page," in line


def tree_digest(root):
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_real_run_reports_a_broken_output_and_writes_nothing(site_copy):
    # The copy shows a wrong output for one block; the command, run with this checkout's
    # Keras (the pins), reports that block and only it, and changes no file.
    snippet = "snippets/order-and-steps/finite-generator.md"
    edit(site_copy / snippet, "steps=2: [0, 1, 2, 3, 4, 5]\n", "steps=2: [0, 1, 2, 3]\n")
    before = tree_digest(site_copy)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    done = subprocess.run(
        [sys.executable, "-m", "tools.mine", snippet, "snippets/test-bench/two-steps.md"],
        cwd=site_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(
        "== Sample order and `steps` (docs/en/order-and-steps.md) ==\n"
        f"{snippet}, block at line 1: differs (also on docs/ja/order-and-steps.md)\n"
        f"    --- on the site ({snippet})\n"
        "    +++ printed here\n"
    ), done.stdout
    assert "    -steps=2: [0, 1, 2, 3]\n    +steps=2: [0, 1, 2, 3, 4, 5]\n" in done.stdout
    assert "test-bench" not in done.stdout  # the block that prints the same is not listed
    assert done.stdout.splitlines()[-1].startswith(
        "mine: 1 of 2 blocks print what the site shows, 1 differ, 0 raise, 0 not run "
        "(1 page(s) affected), with tensorflow 2.21.0, keras 3.15.1"
    )
    assert f"mine: [1/2] {snippet}" in done.stderr and "Traceback" not in done.stderr
    assert tree_digest(site_copy) == before
