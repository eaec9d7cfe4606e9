"""The strict build makes both languages, linked page to page, stamped with versions."""

import gzip
import html as htmllib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import edit
from tools import versions
from tools.notebooks import pages_with_snippets
from tools.pagefind import BUNDLE
from tools.search_index import INDEX
from tools.snippets import ROOT, page_files, page_includes, parse_snippet

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(root: Path, site: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess:
    """Build ``root`` strictly into ``site``: both languages, or one config's language."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config]
        + ["--site-dir", str(site)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def site(built_site) -> Path:
    """The checkout's site, built once per test run (tests/conftest.py: strict, no warning)."""
    return built_site


def built_pages():
    """(language, page URL path) for every source page, e.g. ("ja", "test-bench/")."""
    for lang, pages in page_files(ROOT).items():
        for page in pages:
            name = page.relative_to(ROOT / "docs" / lang).with_suffix("").as_posix()
            yield lang, "" if name == "index" else name + "/"


PAGES = sorted(built_pages())
PREFIX = {"ja": "", "en": "en/"}


def search_index_text(site: Path, lang: str) -> str:
    """Material's built search index of one language, as the browser reads it (UTF-8 JSON)."""
    return (site / PREFIX[lang] / INDEX).read_text("utf-8")


def pagefind_pages(site: Path, lang: str) -> dict[str, str]:
    """{page URL path: indexed text} of one language's Pagefind bundle (tools/pagefind.py).

    Each fragment file is gzip-compressed "pagefind_dcd" followed by the page's JSON;
    the text has a zero-width space where Pagefind cut Japanese into words.
    """
    pages = {}
    for fragment in (site / PREFIX[lang] / BUNDLE / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"].lstrip("/")] = data["content"].replace("\u200b", "")
    return pages


def words(text: str) -> str:
    """``text`` with all whitespace dropped: Pagefind joins lines and blocks with spaces."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("lang", "url"), PAGES)
def test_every_page_is_built_in_its_language(site, lang, url):
    html = (site / PREFIX[lang] / url / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize(("lang", "url"), PAGES)
def test_the_language_switcher_links_to_the_same_page(site, lang, url):
    page_dir = site / PREFIX[lang] / url
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    links = dict(
        (hreflang, href)
        for href, hreflang in re.findall(
            r'<a href="([^"]*)" hreflang="([a-z]+)" lang="[a-z]+" class="md-select__link"',
            html,
        )
    )
    assert set(links) == {"ja", "en"}
    for other, href in links.items():
        target = (page_dir / href).resolve()
        assert target == (site / PREFIX[other] / url).resolve(), (other, href)
        assert (target / "index.html").is_file()


@pytest.mark.parametrize(("lang", "url"), PAGES)
def test_every_page_shows_the_installed_versions(site, lang, url):
    html = (site / PREFIX[lang] / url / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html)
    for name, version in versions.stamp():
        assert f"{name} {version}" in text


@pytest.mark.parametrize(("lang", "url"), PAGES)
def test_every_script_file_is_deferred(site, lang, url):
    # overrides/main.html defers Material's bundle, so the page is drawn before the
    # bundle starts up (maintainers.md). A Material upgrade that changes the tag's
    # markup would undo that silently; this catches it.
    html = (site / PREFIX[lang] / url / "index.html").read_text(encoding="utf-8")
    # src="" (mkdocs-jupyter's MathJax slot, left empty) loads nothing.
    script_files = re.findall(r'<script [^>]*\bsrc="[^"]+"[^>]*>', html)
    page = f"/{PREFIX[lang]}{url}"
    assert any("/bundle." in tag for tag in script_files), f"{page}: no Material bundle"
    blocking = [tag for tag in script_files if not re.search(r"\s(defer|async)[\s>]", tag)]
    assert not blocking, f"{page}: scripts that stop the page being drawn: {blocking}"


def test_the_site_root_serves_japanese_and_english_is_one_click_away(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in home
    assert 'href="./en/" hreflang="en"' in home


#: The 2019 post the site started from (credited on both home pages).
POST = "https://blog.shikoan.com/keras-generator-order/"


def test_both_home_pages_link_the_post_and_the_same_page_for_each_of_its_sections():
    targets = {}
    for lang in PREFIX:
        home = (ROOT / "docs" / lang / "index.md").read_text(encoding="utf-8")
        assert f"]({POST})" in home, lang
        rows = [line for line in home.splitlines() if line.startswith("| ")][2:]  # no header
        targets[lang] = [re.findall(r"\]\(([^)]+\.md[^)]*)\)", row) for row in rows]
    assert targets["ja"] == targets["en"] and len(targets["ja"]) == 8  # the post's 8 sections
    assert all(targets["ja"])


def test_a_missing_include_fails_the_build_in_one_line(site_to_build, tmp_path):
    edit(site_to_build / "docs/en/test-bench.md", "two-steps.md", "two-stepz.md")
    done = build(site_to_build, tmp_path / "out")
    assert done.returncode != 0
    assert "includes missing file snippets/test-bench/two-stepz.md" in done.stderr
    assert "docs/en/test-bench.md" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_link_to_a_missing_section_fails_the_strict_build(site_to_build, tmp_path):
    # MkDocs checks links to sections (validation: anchors: warn in mkdocs.yml). The
    # English site alone is enough to show it, and builds in half the time.
    edit(
        site_to_build / "docs/en/read-ahead.md",
        "(#predict-pulls-more-than-it-returns)",
        "(#_4)",
    )
    edit(
        site_to_build / "docs/en/migration.md",
        "test-bench.md#keras-2-next-to-keras-3",
        "test-bench.md#keras-2",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml"]
        + ["--site-dir", str(tmp_path / "out")],
        cwd=site_to_build,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "'read-ahead.md' contains a link '#_4', but there is no such anchor" in done.stderr
    assert "'test-bench.md' does not contain an anchor '#keras-2'" in done.stderr


def test_version_drift_fails_the_strict_build(site_copy, tmp_path):
    # The version stamp hook is in both languages' configs (mkdocs.en.yml inherits
    # it): the English site alone shows it, in half the time of both.
    edit(site_copy / "requirements.txt", "keras==3.15.1", "keras==3.0.0")
    done = build(site_copy, tmp_path / "out", "mkdocs.en.yml")
    assert done.returncode != 0
    assert "installed versions differ from requirements.txt" in done.stderr
    assert "keras" in done.stderr and "Traceback" not in done.stderr
    # It stops before building a page, not after building them all.
    assert not list((tmp_path / "out").rglob("*.html"))


def test_version_drift_is_a_warning_when_not_strict(monkeypatch, caplog):
    from mkdocs.config.defaults import MkDocsConfig

    from tools.hooks import version_stamp

    monkeypatch.setattr(version_stamp.versions, "version_drift", lambda: ["keras 3.0.0"])
    config = MkDocsConfig()
    config.load_dict({"site_name": "drift", "strict": False})
    config.validate()
    with caplog.at_level("WARNING", logger="mkdocs.hooks.version_stamp"):
        assert version_stamp.on_config(config) is config
    assert "installed versions differ from requirements.txt" in caplog.text
    assert "keras 3.0.0" in caplog.text


NOTEBOOK_PAGES = [
    (lang, page.stem) for lang, pages in pages_with_snippets(ROOT).items() for page in pages
]


@pytest.mark.parametrize(("lang", "topic"), NOTEBOOK_PAGES)
def test_each_page_links_its_rendered_notebook_and_its_download(site, lang, topic):
    page = (site / PREFIX[lang] / topic / "index.html").read_text(encoding="utf-8")
    assert f'href="../notebooks/{topic}/"' in page
    notebook_dir = site / PREFIX[lang] / "notebooks" / topic
    html = (notebook_dir / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    assert f'<a href="{topic}.ipynb" download>' in html
    notebook = nbformat.read(notebook_dir / f"{topic}.ipynb", as_version=4)
    nbformat.validate(notebook)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    shown = htmllib.unescape(html)
    assert outputs and all(o.text in shown for o in outputs)


@pytest.mark.parametrize("lang", PREFIX)
def test_search_indexes_every_reader_page_but_no_notebook_or_maintainers_page(site, lang):
    # The maintainers page has `search: exclude: true` (not reader content), and each
    # language's bundle holds only its own pages (tools/pagefind.py).
    indexed = set(pagefind_pages(site, lang))
    readers = {url for page_lang, url in PAGES if page_lang == lang} - {"maintainers/"}
    assert indexed == readers


@pytest.mark.parametrize("lang", PREFIX)
def test_materials_search_index_holds_its_config_and_no_document(site, lang):
    # Material's script fetches it on every page; the Pagefind worker reads the config.
    index = json.loads(search_index_text(site, lang))
    assert index["docs"] == []
    assert index["config"]["lang"] == [lang]
    assert not re.search(r"\\u(?!00[01])[0-9a-fA-F]{4}", search_index_text(site, lang))


@pytest.mark.parametrize("lang", PREFIX)
def test_the_search_index_has_every_output_but_no_python_source(site, lang):
    # tools/search_index.py: Python blocks are data-pagefind-ignore, output blocks stay.
    indexed = words(htmllib.unescape("\n".join(pagefind_pages(site, lang).values())))
    blocks = [
        (target, block)
        for page in page_files(ROOT)[lang]
        if page.name != "maintainers.md"
        for _, target in page_includes(page)
        for block in parse_snippet(ROOT / target)
        if block.code.info == "python"  # not a backend's output file (text only)
    ]
    assert blocks
    for target, block in blocks:
        assert words(block.code.body) not in indexed, f"{target}: Python source indexed"
        if block.output:
            assert words(block.output.body) in indexed, f"{target}: output not indexed"
