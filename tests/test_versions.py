"""Pins are exact, stamps come from the installed packages, drift is named."""

from importlib import metadata

import pytest

from tools import versions


@pytest.mark.parametrize("name", versions.REQUIREMENT_FILES)
def test_every_requirement_is_pinned_exactly(name):
    path = versions.ROOT / name
    assert versions.pin_problems(path) == []
    assert len(versions.pinned_versions(path)) >= 3  # the file holds pins at all


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("requirements.txt", "mkdocs-material==9.*", "'mkdocs-material==9.*' is not one exact"),
        ("requirements.txt", "numpy==2.4.6,<3", "'numpy==2.4.6,<3' is not one exact pin"),
        ("requirements.txt", "pytest>=9", "'pytest>=9' is not one exact pin"),
        ("requirements-backends.txt", "torch", "'torch' is not one exact pin"),
        ("requirements-backends.txt", "jax~=0.10.2", "'jax~=0.10.2' is not one exact pin"),
        ("requirements-backends.txt", "torch==2.13.0 ===", "cannot parse"),
        (
            "requirements-backends.txt",
            "--extra-index-url https://example.invalid/whl",
            "pip option",
        ),
    ],
)
def test_a_loose_pin_is_caught(tmp_path, name, line, problem):
    broken = tmp_path / name
    broken.write_text(
        (versions.ROOT / name).read_text(encoding="utf-8") + line + "  # broken\n",
        encoding="utf-8",
    )
    problems = versions.pin_problems(broken)
    assert len(problems) == 1 and problems[0].startswith(f"{name}:"), problems
    assert problem in problems[0]


def test_the_pins_the_issue_asks_for():
    pins = versions.pinned_versions()
    assert pins["tensorflow"] == "2.21.0"
    assert pins["keras"] == "3.15.1"
    assert pins["tf-keras"] == "2.21.0"
    for name in (
        "numpy",
        "mkdocs",
        "mkdocs-material",
        "mkdocs-jupyter",
        "pytest",
        "pytest-codeblocks",
    ):
        assert name in pins


def test_the_stamp_is_read_from_installed_packages():
    stamp = dict(versions.stamp())
    assert stamp["TensorFlow"] == metadata.version("tensorflow")
    assert stamp["Keras"] == metadata.version("keras")
    assert "Python" in stamp


def test_drift_names_package_installed_and_pinned_versions(tmp_path):
    pins = tmp_path / "requirements.txt"
    pins.write_text("Keras == 3.0.0  # old\ntensorflow==2.21.0\n", encoding="utf-8")
    installed = metadata.version("keras")
    assert versions.version_drift(pins) == [f"keras {installed} (pinned 3.0.0)"]


def test_no_drift_on_this_checkout():
    assert versions.version_drift() == []
