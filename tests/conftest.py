import shutil
from pathlib import Path

import pytest

from tests.browser import build_site
from tools.snippets import ROOT

#: What a copy of the site needs for checks, builds and snippet runs.
TREE = (
    "snippets",
    "docs",
    "tools",
    "overrides",
    "mkdocs.yml",
    "mkdocs.en.yml",
    "requirements.txt",
    "conftest.py",
    "pyproject.toml",
)


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A copy of the site's sources in a temporary folder, free to break."""
    ignore = shutil.ignore_patterns("__pycache__")
    for name in TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=ignore)
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if ``old`` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of this checkout, built once per test session (both languages)."""
    site = tmp_path_factory.mktemp("built") / "site"
    done = build_site(site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr}", pytrace=False)
    return site
