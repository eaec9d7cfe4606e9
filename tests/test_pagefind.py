"""tools/pagefind.py: Pagefind indexes the given pages, and fails in one line.

The built site's bundles: tests/test_site_build.py; search in a browser:
tests/test_browser.py.
"""

import gzip
import importlib.util
import json
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tools import pagefind
from tools.pagefind import BUNDLE, PagefindError, index_pages, is_searchable
from tools.search_index import exclude_python_code
from tools.snippets import ROOT

pytestmark = pytest.mark.skipif(
    not pagefind.PAGEFIND.is_file(), reason="Pagefind not installed: run npm ci"
)

PAGE = """<!doctype html><html lang="{lang}"><head><title>t</title></head><body>
<nav>ナビゲーション</nav><article class="md-content__inner md-typeset"><h1>{title}</h1>
<p>{text}</p>{code}</article></body></html>"""
CODE = '<div class="language-python highlight"><pre><code>secret_source()</code></pre></div>'


def indexed(site):
    """{url: text} of the bundle Pagefind wrote into ``site``."""
    pages = {}
    for fragment in (site / BUNDLE / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data["content"].replace("\u200b", "")
    return pages


def write(path, **fields):
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {"lang": "ja", "code": exclude_python_code(CODE), **fields}
    path.write_text(PAGE.format(**fields), encoding="utf-8")


def test_only_the_given_pages_articles_are_indexed_without_python_source(tmp_path):
    write(tmp_path / "index.html", title="先読み", text="返されないバッチ")
    write(tmp_path / "other" / "index.html", title="並列", text="順番の崩れ")
    write(tmp_path / "left-out" / "index.html", title="メンテナー", text="監査")
    write(tmp_path / "en" / "index.html", lang="en", title="Read-ahead", text="batches")
    summary = index_pages(tmp_path, ["index.html", "other/index.html"])
    assert "Indexed 2 pages" in summary
    pages = indexed(tmp_path)
    assert set(pages) == {"/", "/other/"}
    assert "先読み" in pages["/"] and "返されないバッチ" in pages["/"]
    assert not any("secret_source" in text or "ナビゲーション" in text for text in pages.values())


def test_a_missing_binary_is_one_line_naming_npm_ci(tmp_path):
    with pytest.raises(PagefindError) as raised:
        index_pages(tmp_path, ["index.html"], binary=tmp_path / "pagefind")
    assert "npm ci" in str(raised.value) and "\n" not in str(raised.value)


def test_pagefind_failing_is_one_line(tmp_path):
    with pytest.raises(PagefindError) as raised:
        index_pages(tmp_path / "no-such-site", ["index.html"])
    assert str(raised.value).startswith("Pagefind failed") and "\n" not in str(raised.value)


def test_the_hook_stops_the_build_with_that_line(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "search_index_hook", ROOT / "tools" / "hooks" / "search_index.py"
    )
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    monkeypatch.setattr(pagefind, "PAGEFIND", tmp_path / "missing")
    hook.searchable.add("index.html")
    with pytest.raises(PluginError, match="npm ci"):
        hook.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))


def page(src_uri, meta):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta)


def test_notebooks_and_pages_excluded_from_search_are_not_searchable():
    assert is_searchable(page("read-ahead.md", {}))
    assert is_searchable(page("read-ahead.md", {"search": {"boost": 2}}))
    assert not is_searchable(page("maintainers.md", {"search": {"exclude": True}}))
    assert not is_searchable(page("notebooks/read-ahead.ipynb", {}))
