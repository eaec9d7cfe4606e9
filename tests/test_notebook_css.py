"""tools/notebook_css.py keeps every rule that could match the page (see also the
computed-style comparison in tests/test_browser.py)."""

import pytest

from tools.notebook_css import (
    page_classes,
    prune_notebook_page,
    prune_stylesheet,
    selector_can_match,
)

CLASSES = {"jupyter-wrapper", "jp-Cell", "anchor-link"}


@pytest.mark.parametrize(
    ("selector", "can_match"),
    [
        (".jupyter-wrapper .jp-Cell", True),
        (".jupyter-wrapper .jp-Dialog", False),
        (".jp-Cell.jp-mod-active", False),
        (".jp-Cell:not(.jp-mod-active)", True),  # :not() of an absent class matches
        (":is(.jp-Dialog, .jp-Cell) pre", True),  # one argument of :is() is enough
        ("h1:hover .anchor-link", True),
        ('[class*="jp-Dialog"] pre', True),  # attribute selectors are not classes
        ("pre", True),
        (".jupyter-wrapper :root", False),  # <html> is nobody's descendant
        (":root", True),
        ("html:root", True),
        (".a\\:b", True),  # escapes: kept, whatever they name
        (".jupyter-wrapper .md-typeset__scrollwrap", True),  # Material's JS adds md- classes
    ],
)
def test_a_selector_is_dropped_only_when_it_needs_what_the_page_lacks(selector, can_match):
    assert selector_can_match(selector, CLASSES) is can_match


def test_a_rule_stays_whole_when_one_of_its_selectors_can_match():
    css = ".jp-Dialog, .jp-Cell{color:red}.jp-Dialog{color:blue}"
    assert prune_stylesheet(css, CLASSES) == ".jp-Dialog, .jp-Cell{color:red}"


def test_media_blocks_are_pruned_inside_and_dropped_when_empty():
    css = "@media print{.jp-Cell{a:b}.jp-Dialog{c:d}}@media screen{.jp-Dialog{e:f}}"
    assert prune_stylesheet(css, CLASSES) == "@media print{.jp-Cell{a:b}}"


def test_other_at_rules_are_kept():
    css = '@charset "UTF-8";@font-face{font-family:x}@keyframes spin{to{a:b}}'
    kept = prune_stylesheet(css, set())
    assert "@font-face" in kept and "@keyframes spin" in kept


def test_only_the_jupyterlab_stylesheet_of_a_page_is_pruned():
    page = (
        '<style>.jp-Dialog{a:b}</style><div class="jupyter-wrapper">'
        '<style>@charset "UTF-8";.jupyter-wrapper{--x: 1}.jp-Dialog{a:b}</style>'
        '<div class="jp-Cell x"></div></div>'
    )
    assert page_classes(page) == {"jupyter-wrapper", "jp-Cell", "x"}
    assert prune_notebook_page(page) == (
        '<style>.jp-Dialog{a:b}</style><div class="jupyter-wrapper">'
        '<style>@charset "UTF-8";.jupyter-wrapper{--x: 1}</style>'
        '<div class="jp-Cell x"></div></div>'
    )
