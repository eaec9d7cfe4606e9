"""Shrink the JupyterLab stylesheet that mkdocs-jupyter writes into every notebook page.

mkdocs-jupyter 0.26.3 inlines JupyterLab's whole stylesheet (its template
``mkdocs_jupyter/templates/mkdocs_html/notebook.html.j2`` includes
``assets/index.css``, 575 kB, 86 kB gzipped) into each notebook page, and none of its
options leaves it out. Most of it styles JupyterLab's user interface (menus, file
browser, dialogs, widgets), which a rendered notebook never shows.

:func:`prune_stylesheet` drops only the rules that cannot match the page: a selector is
dropped when it names a class that no element of the page carries. A rule that could
match is kept whole, with its selectors as they were. The pages carry no script that
adds JupyterLab classes later (mkdocs-jupyter's only scripts are the copy button and a
Mermaid loader that stops when the page has no diagram), so a class absent from the
HTML stays absent. ``tests/test_browser.py`` checks the result in Chromium: every
element's computed style, pseudo-elements included, is the same with the full
stylesheet as with the pruned one, in both colour schemes.
"""

import functools
import re
from dataclasses import dataclass

import tinycss2

#: The first characters of JupyterLab's stylesheet as mkdocs-jupyter inlines it.
JUPYTERLAB_CSS_START = '@charset "UTF-8";.jupyter-wrapper{'

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
#: Functional pseudo-classes whose arguments need not be present (``:not(.x)``) or of
#: which one is enough (``:is(.x, .y)``): their arguments never decide on their own.
_FUNCTIONAL_PSEUDO = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_ROOT_AFTER_COMBINATOR = re.compile(r"\S\s*[\s>+~]\s*:root\b")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


#: A class attribute, quoted either way or not at all.
_CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def page_classes(html: str) -> set[str]:
    """Return every class name that some element of ``html`` carries.

    A regular expression, not a parser: it may also pick up ``class=...`` written in
    text or scripts, which only keeps more rules, never fewer (and it is 50 times
    faster than html.parser on a 600 kB notebook page).
    """
    classes = set()
    for match in _CLASS_ATTRIBUTE.finditer(html):
        classes.update("".join(match.groups(default="")).split())
    return classes


def _without_functional_pseudo_classes(selector: str) -> str:
    """Remove ``:not(...)``, ``:is(...)`` and the like, with nested parentheses."""
    while match := _FUNCTIONAL_PSEUDO.search(selector):
        depth, end = 1, match.end()
        while end < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[end], 0)
            end += 1
        selector = selector[: match.start()] + selector[end:]
    return selector


def _required_classes(selector: str) -> set[str]:
    """The classes an element must carry for one complex selector (no commas) to match.

    The arguments of functional pseudo-classes, attribute selectors and Material's
    ``md-`` classes are ignored, and a selector with CSS escapes requires nothing.
    """
    if "\\" in selector:
        return set()
    found = _CLASS.findall(_ATTRIBUTE.sub("", _without_functional_pseudo_classes(selector)))
    # Material's JavaScript adds some md- classes at run time (e.g. md-typeset__scrollwrap
    # around tables), which the HTML does not show: never count them as missing.
    return {name for name in found if not name.startswith("md-")}


def selector_can_match(selector: str, classes: set[str]) -> bool:
    """Whether one complex selector (no commas) could match an element of the page.

    It cannot when it requires a class that no element carries, or when it puts
    ``:root`` (the ``<html>`` element, which has no ancestor) after a combinator, as
    JupyterLab's ``.jupyter-wrapper :root {...}`` does (80 kB of icon variables).
    """
    return _can_ever_match(selector) and _required_classes(selector) <= classes


def _can_ever_match(selector: str) -> bool:
    return not _ROOT_AFTER_COMBINATOR.search(_without_functional_pseudo_classes(selector))


def _split_selector_list(prelude: str) -> list[str]:
    """Split a selector list on its top-level commas."""
    parts, depth, current = [], 0, []
    for char in prelude:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


@dataclass(frozen=True)
class _Rule:
    """One top-level or nested rule, ready to be kept or dropped without re-parsing."""

    text: str = ""
    #: For a style rule: per selector, the classes it requires. None: always kept.
    selectors: tuple[frozenset[str], ...] | None = None
    #: For @media, @supports and @layer blocks: the opening, nested rules, closing.
    block: tuple[str, tuple["_Rule", ...], str] | None = None


def _parse(rules: list) -> tuple[_Rule, ...]:
    parsed = []
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude)
            selectors = tuple(
                frozenset(_required_classes(s))
                for s in _split_selector_list(prelude)
                if _can_ever_match(s)
            )
            parsed.append(_Rule(text=rule.serialize(), selectors=selectors))
        elif (
            rule.type == "at-rule"
            and rule.lower_at_keyword in ("media", "supports", "layer")
            and rule.content is not None
        ):
            opening = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{"
            inner = _parse(tinycss2.parse_rule_list(rule.content, skip_comments=True))
            parsed.append(_Rule(block=(opening, inner, "}")))
        elif rule.type != "whitespace":
            parsed.append(_Rule(text=rule.serialize()))
    return tuple(parsed)


@functools.lru_cache(maxsize=4)
def _parsed_stylesheet(css: str) -> tuple[_Rule, ...]:
    return _parse(tinycss2.parse_stylesheet(css, skip_comments=True))


def _kept(rules: tuple[_Rule, ...], classes: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.block is not None:
            opening, inner, closing = rule.block
            if inner_kept := _kept(inner, classes):
                kept.append(opening + "".join(inner_kept) + closing)
        elif rule.selectors is None or any(required <= classes for required in rule.selectors):
            kept.append(rule.text)
    return kept


def prune_stylesheet(css: str, classes: set[str]) -> str:
    """Return ``css`` without the rules whose every selector needs an absent class.

    Args:
        css: a stylesheet (JupyterLab's ``index.css``); it is parsed once per process.
        classes: the class names the page's elements carry (:func:`page_classes`).

    Returns:
        The kept rules and at-rules, unchanged, one after another (comments dropped).
    """
    return "".join(_kept(_parsed_stylesheet(css), classes))


@functools.lru_cache(maxsize=64)
def prune_notebook_page(html: str) -> str:
    """Return a notebook page with its inlined JupyterLab stylesheet pruned.

    Pages without that stylesheet are returned unchanged. Cached: under ``mkdocs
    serve``, each rebuild renders the same notebook pages again.
    """
    classes = page_classes(html)

    def pruned(match: re.Match) -> str:
        opening, css, closing = match.groups()
        if not css.lstrip().startswith(JUPYTERLAB_CSS_START):
            return match.group(0)
        return opening + prune_stylesheet(css, classes) + closing

    return _STYLE.sub(pruned, html)
