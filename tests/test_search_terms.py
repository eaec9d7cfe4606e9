"""The search terms of tests/search_terms.py still name words of their pages.

A page reworded so that a term is gone from it fails here, naming the term and the
page, rather than as a search miss in the browser test.
"""

from tests.conftest import edit
from tests.search_terms import terms_not_on_their_pages
from tools.snippets import ROOT


def test_each_search_term_is_on_its_pages():
    assert not terms_not_on_their_pages(ROOT)


def test_a_term_gone_from_its_page_is_named_with_the_page(site_copy):
    edit(site_copy / "docs" / "ja" / "read-ahead.md", "先読み", "読み越し", count=-1)
    page = site_copy / "docs" / "en" / "reusing-generators.md"
    edit(page, "Reusing", "Using", count=-1)
    edit(page, "reusing", "using", count=-1)
    assert terms_not_on_their_pages(site_copy) == [
        "'先読み' (ja): '先読み' is no longer on read-ahead.md",
        "'reusing' (en): 'reusing' is no longer on reusing-generators.md",
    ]
