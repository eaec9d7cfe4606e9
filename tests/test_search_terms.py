"""The search terms of tests/search_terms.py still name words of their pages.

A title reworded by a page's author fails here, naming the term and the page, rather
than as a search miss in the browser test.
"""

import pytest

from tests.search_terms import SEARCH_TERMS, SPELLED_ON_PAGE
from tools.snippets import ROOT


@pytest.mark.parametrize(("lang", "term"), SEARCH_TERMS)
def test_each_search_term_is_on_its_pages(lang, term):
    word = SPELLED_ON_PAGE.get((lang, term), term).casefold()
    missing = [
        page
        for page in SEARCH_TERMS[lang, term]
        if word not in (ROOT / "docs" / lang / page).read_text(encoding="utf-8").casefold()
    ]
    assert not missing, f"{word!r} ({lang}) is no longer on {', '.join(missing)}"
