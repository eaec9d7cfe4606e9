"""tools/code_spans.py and tools/search_index.py slim the pages without changing them
(their effect on the built site: tests/test_site_build.py)."""

import json
import re

from tools.code_spans import unwrap_plain_spans
from tools.search_index import INDEX, rewrite_search_index

BLOCK = (
    '<div class="highlight"><pre><span></span><code>'
    '<span class="n">xs</span><span class="p">,</span><span class="w"> </span>'
    '<span class="n">ys</span><span class="w"> </span><span class="o">=</span>'
    '<span class="w"> </span><span class="p">[],</span><span class="w"> </span>'
    '<span class="p">[]</span>\n</code></pre></div>'
)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_plain_name_and_whitespace_spans_go_and_same_class_neighbours_join():
    lean = unwrap_plain_spans(BLOCK)
    assert lean == (
        '<div class="highlight"><pre><span></span><code>'
        'xs<span class="p">,</span> ys <span class="o">=</span> <span class="p">[], []</span>'
        "\n</code></pre></div>"
    )
    assert text(lean) == text(BLOCK)


def test_inline_code_is_slimmed_too():
    inline = '<code class="highlight"><span class="n">gen</span><span class="p">()</span></code>'
    assert (
        unwrap_plain_spans(inline) == '<code class="highlight">gen<span class="p">()</span></code>'
    )


def test_spans_outside_pygments_code_are_left_alone():
    others = (
        '<p><span class="n">kept</span></p>'
        '<div class="highlight-ipynb hl-python"><pre><span class="n">nb</span></pre></div>'
    )
    assert unwrap_plain_spans(others) == others


def test_the_search_index_is_rewritten_in_utf8_with_the_same_data(tmp_path):
    data = {"config": {"lang": ["ja"]}, "docs": [{"location": "", "text": "ジェネレーター"}]}
    (tmp_path / INDEX).parent.mkdir()
    (tmp_path / INDEX).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    assert rewrite_search_index(tmp_path)
    written = (tmp_path / INDEX).read_text(encoding="utf-8")
    assert "ジェネレーター" in written and "\\u" not in written
    assert json.loads(written) == data


def test_a_site_without_search_index_is_left_as_it_is(tmp_path):
    assert not rewrite_search_index(tmp_path)
    assert not (tmp_path / INDEX).exists()
