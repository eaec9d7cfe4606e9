"""The oldest Python the site needs is the one its pins need, said alike everywhere."""

import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tools.snippets import ROOT
from tools.versions import pinned_versions

MAKEFILE = ROOT / "Makefile"


def lowest_python(requires: str) -> Version:
    """The lowest Python version a Requires-Python specifier admits (its >= bounds)."""
    bounds = [Version(s.version) for s in SpecifierSet(requires) if s.operator in (">=", "~=")]
    return max(bounds, default=Version("0"))


def floor_of_the_pins() -> tuple[Version, str]:
    """The highest Requires-Python floor of the installed pins, and a pin that sets it."""
    floors = [
        (lowest_python(metadata.metadata(name).get("Requires-Python") or ""), name)
        for name in pinned_versions()
    ]
    return max(floors)


def test_pyproject_ruff_readme_and_makefile_state_the_floor_of_the_pins():
    floor, pin = floor_of_the_pins()
    assert floor >= Version("3.11"), (floor, pin)  # mkdocs-material 9.8 alone needs 3.11
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["requires-python"] == f">={floor}", pin
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{floor.major}{floor.minor}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {floor} or newer" in readme and f"Python {floor} 以上" in readme
    assert re.search(rf"^PYTHON_FLOOR := {re.escape(str(floor))}$", MAKEFILE.read_text(), re.M)


def make_dry_run(tmp_path, python):
    """``make -n test`` with this PYTHON and a .venv/ of its own (nothing is run)."""
    return subprocess.run(
        [
            "make",
            "-n",
            "-f",
            str(MAKEFILE),
            f"PYTHON={python}",
            f"VENV={tmp_path / 'venv'}",
            "test",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("version", [(3, 10, 12), (3, 11, 4)])
def test_make_stops_with_one_line_on_an_older_python(tmp_path, version):
    fake = tmp_path / "python"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.version_info = ({', '.join(map(str, version))}, 'final', 0)\n"
        "exec(sys.argv[2])  # the code of `python -c CODE`\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    done = make_dry_run(tmp_path, fake)
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    shown = ".".join(map(str, version))
    assert len(lines) == 1 and f"is Python {shown}; this site needs Python 3.11" in lines[0], lines
    assert "-m venv" not in done.stdout  # stopped before anything would run


def test_make_stops_with_one_line_when_python_does_not_run(tmp_path):
    done = make_dry_run(tmp_path, tmp_path / "no-such-python")
    assert done.returncode != 0
    assert len(done.stderr.splitlines()) == 1 and "is not a Python that runs" in done.stderr


def test_make_goes_on_with_this_python(tmp_path):
    done = make_dry_run(tmp_path, sys.executable)
    assert done.returncode == 0, done.stderr
    assert f"{sys.executable} -m venv" in done.stdout
