"""Pins are exact, stamps come from the installed packages, drift is named."""

from importlib import metadata

from tools import versions


def test_every_requirement_is_pinned_exactly():
    for line in versions.REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert "==" in line, f"requirements.txt: {line!r} is not an exact pin"


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
