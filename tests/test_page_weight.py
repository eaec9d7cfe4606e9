"""tools/search_index.py slims Material's search index, tools/page_weight.py weighs a page
(their effect on the built site: tests/test_site_build.py, tests/test_browser.py)."""

import gzip
import json

from tools.page_weight import first_load
from tools.search_index import INDEX, exclude_python_code, slim_search_index


def test_materials_index_keeps_its_config_in_utf8_and_no_document(tmp_path):
    config = {"lang": ["ja"], "separator": "[\\s　、。]+"}
    data = {"config": config, "docs": [{"location": "", "text": "ジェネレーター"}]}
    (tmp_path / INDEX).parent.mkdir()
    (tmp_path / INDEX).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    assert slim_search_index(tmp_path)
    written = (tmp_path / INDEX).read_text(encoding="utf-8")
    assert "、" in written and "\\u" not in written
    assert json.loads(written) == {"config": config, "docs": []}


def test_a_site_without_search_index_is_left_as_it_is(tmp_path):
    assert not slim_search_index(tmp_path)
    assert not (tmp_path / INDEX).exists()


def test_python_blocks_are_marked_out_of_search_and_other_blocks_are_not():
    html = (
        '<div class="language-python highlight"><pre><code>print(1)</code></pre></div>'
        '<div class="language-text highlight"><pre><code>1</code></pre></div>'
    )
    marked = exclude_python_code(html)
    assert marked == html.replace(
        '"language-python highlight">', '"language-python highlight" data-search-exclude>'
    )


def test_first_load_counts_each_local_file_once_gzipped_as_served(tmp_path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>" + "x" * 5000 + "</p>")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(100))
    base = "http://127.0.0.1:8000/"
    urls = [
        base + "page/",
        base + "logo.png",
        base + "page/",  # a repeat counts once
        base + "missing.js",  # no such file: not counted
        "data:image/svg+xml,<svg/>",
        "https://example.com/x.js",
    ]
    html = (tmp_path / "page" / "index.html").read_bytes()
    assert first_load(tmp_path, base, urls) == {
        "/page/": len(gzip.compress(html, compresslevel=6, mtime=0)),
        "/logo.png": 104,
    }
