import json
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from tests.browser import build_site
from tools.snippets import ROOT

#: What a copy of the site needs for checks, builds and snippet runs.
TREE = (
    "snippets",
    "history",
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
    # npm's packages (Pagefind, which the build runs), shared rather than copied.
    if (ROOT / "node_modules").is_dir():
        (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


#: mkdocs-jupyter's rendered notebooks, one folder per language (tools/hooks/notebooks.py).
RENDER_CACHE = Path(".cache") / "mkdocs-jupyter"


@pytest.fixture
def site_to_build(site_copy, tmp_path_factory, pytestconfig) -> Path:
    """A site copy (site_copy) that also has this checkout's rendered notebooks.

    For tests that build the whole copy: mkdocs-jupyter renders again only a notebook
    whose hash is not in its cache, so the copy's build renders only what its edits
    changed. Rendering all 13 notebooks took about 3 s of a 7 s build of one language,
    measured here. The copy is taken under the lock of the checkout's own builds
    (shared_build), which write that cache: never a file half written.
    """
    with FileLock(str(run_temp(tmp_path_factory, pytestconfig) / "build.lock")):
        if (ROOT / RENDER_CACHE).is_dir():
            shutil.copytree(ROOT / RENDER_CACHE, site_copy / RENDER_CACHE)
    return site_copy


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if ``old`` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_temp(tmp_path_factory, config) -> Path:
    """The temporary folder of this whole test run, shared by every xdist worker.

    Each worker's ``tmp_path_factory`` base is a folder of its own (``popen-gw0``)
    inside the run's folder; without xdist (no ``config.workerinput``) it is the
    run's folder itself (pytest-xdist docs: "Making session-scoped fixtures execute
    only once").
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def shared_build(tmp_path_factory, config, name: str, env: dict | None = None) -> Path:
    """Build this checkout's site once per test run into ``<run temp>/<name>/<site>``.

    The first xdist worker that asks builds it under a file lock; the others wait and
    read the same folder. One lock for every build of the checkout: a build writes
    generated files (notebooks, figures) into docs/, so two at once would race. A
    build that fails, or that logs a WARNING, fails every test that asks for it, with
    mkdocs' own message.
    """
    shared = run_temp(tmp_path_factory, config)
    folder = shared / name
    site = folder / ("keras-generators" if env else "site")
    outcome_file = folder / "outcome.json"
    with FileLock(str(shared / "build.lock")):
        if not outcome_file.exists():
            folder.mkdir(exist_ok=True)
            done = build_site(site, env)
            outcome = {"returncode": done.returncode, "stderr": done.stderr}
            outcome_file.write_text(json.dumps(outcome), encoding="utf-8")
        outcome = json.loads(outcome_file.read_text(encoding="utf-8"))
    if outcome["returncode"] != 0:
        pytest.fail(f"mkdocs build --strict ({name}) failed:\n{outcome['stderr']}", pytrace=False)
    if "WARNING" in outcome["stderr"]:
        pytest.fail(f"mkdocs build ({name}) logged a warning:\n{outcome['stderr']}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, pytestconfig) -> Path:
    """The site of this checkout, built once per test run (both languages, strict).

    Every test that reads the built site of this checkout uses it (shared_build).
    """
    return shared_build(tmp_path_factory, pytestconfig, "built")


#: The environment of the Pages workflow's build, for published_site: a project site
#: under a path (as on GitHub Pages), a GitHub repository, the date the tests passed.
PUBLISHED = {
    "SITE_URL": "https://example.github.io/keras-generators/",
    "SITE_REPO_URL": "https://github.com/example/keras-generators",
    "SITE_VERIFIED_ON": "2026-11-29",
}


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, pytestconfig) -> Path:
    """The site built as the Pages workflow builds it (PUBLISHED), once per test run.

    The one build besides built_site (about as long). It is written to
    ``<run temp>/published/keras-generators/``, so serving its parent puts it at the
    path of its site_url, where its 404 pages' absolute links point.
    """
    return shared_build(tmp_path_factory, pytestconfig, "published", PUBLISHED)
