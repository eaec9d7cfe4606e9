"""tools/search_index.py slims the search index without changing it
(its effect on the built site: tests/test_site_build.py)."""

import json

from tools.search_index import INDEX, rewrite_search_index


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
