"""The built site in a real browser: pages, language switcher, search, copy, schemes.

The site is built once, served on 127.0.0.1, and every page of both languages is
visited once in the system Chromium (see tests/browser.py); the per-page tests read
that one visit. Without Chromium the whole module is skipped with one reason line,
unless CI=true, where every test fails instead. tests/test_third_party.py checks the
built files for third-party resources without a browser.
"""

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    JUPYTERLAB_CSS,
    PREFIX,
    chromium_missing,
    executed_code,
    is_local,
    is_notebook,
    notebook_outputs,
    page_url,
    serve,
    site_pages,
)
from tests.search_terms import SEARCH_NARROW, SEARCH_TERMS
from tools.figures import FIGURES, SCHEMES
from tools.page_weight import BUDGET, first_load
from tools.snippets import ROOT

if os.environ.get("CI") != "true" and chromium_missing():
    # At module level, so that pytest -ra shows one line for the whole module.
    pytest.skip(
        f"{chromium_missing()}: browser tests skipped (with CI=true they fail)",
        allow_module_level=True,
    )

PAGES = site_pages()
#: The page whose first paragraph the font check reads (on that page's visit).
FONT_PAGE = page_url("reusing-generators.md")
PAGES_WITHIN_BUDGET = [(lang, url) for lang, url in PAGES if not is_notebook(url)]
PAGES_WITH_CODE = [(lang, url) for lang, url in PAGES if executed_code(lang, url)]
#: Material 9.8 puts its copy button in the code block's nav; older versions used
#: button.md-clipboard.
COPY_BUTTON = 'button.md-code__button[data-md-type="copy"], button.md-clipboard'
#: The copy buttons of the Python blocks (pymdownx.highlight: div.language-python), the
#: code the tests run; the output blocks' buttons are not what the copy check is about.
PYTHON_COPY_BUTTON = ", ".join(f".language-python {button}" for button in COPY_BUTTON.split(", "))
#: Material's script bundle (its name carries a hash of its content), and its type.
MATERIAL_BUNDLE = re.compile(r"/assets/javascripts/bundle\.\w+\.min\.js$")
JS = "text/javascript"
#: The labels of pymdownx.tabbed's content tabs (alternate style).
TAB_LABEL = ".tabbed-labels > label"
#: With ``scroll`` true, scroll through the whole page a screen at a time (so that every
#: content-visibility: auto block has been on screen, and drawn, once) and back to the
#: top; then give each article element's box in page pixels. Without it, only the boxes
#: (every block drawn already).
ARTICLE_BOXES_JS = """async (scroll) => {
  for (let y = 0; scroll && y < document.body.scrollHeight; y += innerHeight) {
    scrollTo(0, y);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  scrollTo(0, 0);
  return [...document.querySelectorAll("article *")].map(element => {
    const box = element.getBoundingClientRect();
    return [element.tagName, box.x, box.y + scrollY, box.width, box.height];
  });
}"""
#: The computed font-family of the article's first paragraph, "" when it has none.
FONT_FAMILY_JS = """() => {
  const paragraph = document.querySelector('article p');
  return paragraph ? getComputedStyle(paragraph).fontFamily : '';
}"""
#: Open every collapsed note (<details>) of the article.
OPEN_NOTES_JS = "document.querySelectorAll('article details').forEach(d => d.open = true)"
#: Draw every element of the article always, as without extra.css's content-visibility
#: rule, wherever that rule is set (on pre today; a rule moved to the blocks around the
#: pre moves about 300 to 2,200 elements per page, which this check reports). The
#: collapsed notes are opened before (OPEN_NOTES_JS), so none is drawn only here.
ALWAYS_DRAWN = "article * { content-visibility: visible !important; }"
#: The page's text as a reader selecting all of it gets it. Not innerText: that leaves
#: out the code blocks not drawn yet (extra.css: content-visibility), which a reader
#: scrolling down, searching the page or selecting it does see.
SHOWN_TEXT_JS = """() => {
  getSelection().selectAllChildren(document.body);
  const text = getSelection().toString();
  getSelection().removeAllRanges();
  return text;
}"""
#: Load every <img> now (lazy ones included), then give (src, naturalWidth) of each.
IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = "eager"; });
  const settled = img => img.complete ? null : new Promise(done => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
  });
  const timeout = new Promise(done => setTimeout(done, 10000));
  await Promise.race([Promise.all(images.map(settled)), timeout]);
  return images.map(img => [img.currentSrc || img.src, img.naturalWidth]);
}"""


def page_id(value):
    """Name the site's home page in test ids ("ja-home"), whose URL path is empty."""
    return value or "home"


def per_page(pages):
    """Parametrize a test over ``(lang, url)`` pairs, each page's tests on one worker.

    Every test of one page reads that page's one visit (``visited``, cached per worker
    process), so pytest-xdist must run them in the same worker: each pair gets the
    group ``browser:<lang>:<url>`` (``--dist loadgroup``), and different pages spread
    over the workers, each with its own server and browser.
    """
    return [
        pytest.param(
            lang,
            url,
            id="-".join((lang, page_id(url))),
            marks=pytest.mark.xdist_group(f"browser:{lang}:{url}"),
        )
        for lang, url in pages
    ]


# --- Fixtures: one server, one browser per session (built_site: tests/conftest.py) ---


@pytest.fixture(scope="session")
def base_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing()
    if reason:  # only with CI=true: the module is skipped otherwise
        pytest.fail(f"CI=true and {reason}: CI must run the browser tests", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Recorder:
    """What the browser did for one page: every request, and everything that failed.

    Requests made by the page's workers (Material's search) are reported on the page.
    """

    requests: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def attach(self, page):
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self.on_failed)
        page.on("response", self.on_response)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def on_failed(self, request):
        self.problems.append(f"failed {request.url}: {request.failure}")

    def on_response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.url}")

    def on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def third_party(self):
        return [url for url in self.requests if not is_local(url)]

    def assert_clean(self):
        """Fail on any failed request, console error, or request to another host."""
        outside = [f"request to another host: {url}" for url in self.third_party()]
        assert not self.problems + outside, "\n".join(self.problems + outside)


def new_context(browser, base_url):
    """A fresh context (clean storage) that may use the clipboard."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[:-1])
    return context


def new_page(context):
    """A new page of ``context`` and the Recorder listening to it."""
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    return page, recorder


@contextmanager
def fresh_page(browser, base_url):
    """Yield (page, Recorder) of a new page in a fresh context, closed on leaving."""
    context = new_context(browser, base_url)
    try:
        yield new_page(context)
    finally:
        context.close()


@dataclass
class Visit:
    """One visit of one page, read by the per-page tests."""

    recorder: Recorder
    problems: list  # once the network was idle, before the language switch
    first_load: list  # URLs requested until then (fresh context: nothing cached)
    images: list  # (src, naturalWidth)
    copied: list  # clipboard text after each visible copy button's click, in every tab
    switched: dict  # other language -> (URL landed on, <html lang> there)
    text: str  # the page's visible text
    font_family: str  # computed font-family of the article's first paragraph ("" if none)
    moved: list | None  # elements moved by lazily drawn code blocks (None: not checked)
    drawing_problems: list  # what the recorder caught while scrolling for `moved`


def copy_visible_code(page, done):
    """Click each visible copy button of a Python block not clicked before.

    Args:
        page: the Playwright page.
        done: indexes (in document order) of the Python blocks' copy buttons already
            clicked on this page; updated. A block outside the content tabs stays
            visible whichever tab is chosen: it is copied once, not once per tab.

    Returns:
        The clipboard text after each click, in document order.
    """
    copied = []
    for index, button in enumerate(page.locator(PYTHON_COPY_BUTTON).all()):
        if index not in done and button.is_visible():
            done.add(index)
            page.evaluate("navigator.clipboard.writeText('')")
            button.click()
            copied.append(page.evaluate("navigator.clipboard.readText()"))
    return copied


def moved_elements(page):
    """Elements of the article that a lazily drawn block moves, as ``(lazily, always)``.

    extra.css draws code blocks only near the viewport; once drawn, every element must
    be where it is when every block is always drawn. A collapsed note (<details>) draws
    nothing while closed, so its blocks are never drawn by scrolling: every one is opened
    first, as a reader may. Each pair is two ``[tag, x, y, width, height]`` boxes (page
    pixels); a different element count is one more pair. Leaves every block drawn.
    """
    page.evaluate(OPEN_NOTES_JS)
    lazily = page.evaluate(ARTICLE_BOXES_JS, True)
    page.add_style_tag(content=ALWAYS_DRAWN)  # draws every block: no scroll needed
    always = page.evaluate(ARTICLE_BOXES_JS, False)
    moved = [(a, b) for a, b in zip(lazily, always, strict=False) if a != b]
    if len(lazily) != len(always):
        moved.append((f"{len(lazily)} elements", f"{len(always)} elements"))
    return moved


#: What the page the language switcher lands on does not load. The switch check reads only
#: that page's address and <html lang>; the page's styles, scripts and images are checked
#: on its own visit. Loading them cost about 0.2 s of processor time per visit (16 visits,
#: twice each: 48.9 s with them, 45.4 s without).
LANDED_PAGE_SKIPS = frozenset({"stylesheet", "script", "image", "font", "media"})


def skip_landed_page_subresources(route):
    """Abort a request for a style, script, image, font or media file; pass the others.

    Registered on a visit's page just before the language switch, removed after it: the
    document itself and the sitemap that Material's switcher fetches (``fetch``) go through.
    """
    if route.request.resource_type in LANDED_PAGE_SKIPS:
        route.abort()
    else:
        route.fallback()


def visit(context, base_url, lang, url):
    """Load a page, check its images, click its copy buttons in every tab, switch language."""
    address = base_url + PREFIX[lang] + url
    page, recorder = new_page(context)
    try:
        page.goto(address)
        images = page.evaluate(IMAGES_JS)
        text = page.evaluate(SHOWN_TEXT_JS)
        clicked = set()
        copied = copy_visible_code(page, clicked)
        # Code in a content tab is hidden until its tab is chosen: choose each tab
        # label in turn (content.tabs.link switches every tab set with that label).
        for label in page.locator(TAB_LABEL).all():
            label.click()
            copied += copy_visible_code(page, clicked)
        page.wait_for_load_state("networkidle")  # search index and worker, sitemaps
        problems = list(recorder.problems)
        first_load = list(recorder.requests)
        font_family = page.evaluate(FONT_FAMILY_JS)
        moved = None
        if executed_code(lang, url) or is_notebook(url):
            moved = moved_elements(page)
        drawing_problems = recorder.problems[len(problems) :]
        switched = {}
        for other in PREFIX:
            if other == lang:
                continue
            if page.url != address:
                page.goto(address)
            try:
                page.hover(".md-header .md-select")  # opens the language list
                page.route("**/*", skip_landed_page_subresources)
                with page.expect_navigation():
                    page.locator(f'a.md-select__link[hreflang="{other}"]').click()
                switched[other] = (page.url, page.evaluate("document.documentElement.lang"))
            except PlaywrightError as error:
                switched[other] = (f"no navigation: {error}", None)
            finally:
                # The page may be loaded again for the next language: in full.
                page.unroute("**/*", skip_landed_page_subresources)
        return Visit(
            recorder,
            problems,
            first_load,
            images,
            copied,
            switched,
            text,
            font_family,
            moved,
            drawing_problems,
        )
    finally:
        page.close()


@pytest.fixture(scope="session")
def visited(browser, base_url):
    """Return the Visit of a page, visiting each page once per session.

    Each visit has a context of its own, so nothing is cached from another page: the
    requests until the network is idle are those of a first load.
    """
    done = {}

    def get(lang, url):
        if (lang, url) not in done:
            context = new_context(browser, base_url)
            try:
                done[lang, url] = visit(context, base_url, lang, url)
            except PlaywrightError as error:
                done[lang, url] = error
            finally:
                context.close()
        if isinstance(done[lang, url], Exception):
            pytest.fail(f"visiting {PREFIX[lang]}{url} failed: {done[lang, url]}")
        return done[lang, url]

    yield get


# --- Every page, visited once ---------------------------------------------------------


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES))
def test_page_loads_without_console_errors_or_failed_requests(visited, lang, url):
    problems = visited(lang, url).problems
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES))
def test_page_makes_requests_to_127_0_0_1_only(visited, lang, url):
    outside = visited(lang, url).recorder.third_party()
    assert not outside, "requests to other hosts:\n" + "\n".join(outside)


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES_WITHIN_BUDGET))
def test_page_weighs_at_most_the_budget_on_a_first_load(visited, built_site, base_url, lang, url):
    # Issue 9's target for a pitfall page, held by every page but the notebook pages
    # (JupyterLab's stylesheet; their weights are on the maintainers page).
    sizes = first_load(built_site, base_url, visited(lang, url).first_load)
    total = sum(sizes.values())
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert total <= BUDGET, (
        f"/{PREFIX[lang]}{url} weighs {total / 1000:.1f} kB gzip on a first load, over "
        f"the {BUDGET / 1000:.0f} kB budget; heaviest: "
        + ", ".join(f"{path} {size / 1000:.1f} kB" for path, size in heaviest)
    )


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES))
def test_page_images_load(visited, lang, url):
    broken = [src for src, width in visited(lang, url).images if not width]
    assert not broken, "images that did not load:\n" + "\n".join(broken)


FIGURE_PAGES = [(lang, url) for lang, url in PAGES if url.rstrip("/") in FIGURES]


@pytest.mark.parametrize(("lang", "url"), per_page(FIGURE_PAGES))
def test_figure_loads_in_both_colour_schemes(visited, lang, url):
    """Both variants load, though one is hidden (#only-light / #only-dark) at a time."""
    loaded = {src.rsplit("/", 1)[-1] for src, width in visited(lang, url).images if width}
    name = url.rstrip("/")
    for scheme in SCHEMES:
        assert f"{name}-{scheme}.svg#only-{scheme}" in loaded, sorted(loaded)


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES))
def test_language_switcher_lands_on_the_same_page(visited, base_url, lang, url):
    switched = visited(lang, url).switched
    assert switched == {
        other: (base_url + PREFIX[other] + url, other) for other in PREFIX if other != lang
    }


#: A section a reader picks in the table of contents before switching language: a
#: Japanese heading whose slug alone would have been "#jax-pytorch" (tools/checks.py
#: holds every heading to the same explicit id in both languages).
SECTION = ("read-ahead/", "jax-and-pytorch")


@pytest.mark.parametrize("lang", PREFIX)
def test_language_switcher_lands_on_the_same_section(browser, base_url, lang):
    url, section = SECTION
    (other,) = [other for other in PREFIX if other != lang]
    with fresh_page(browser, base_url) as (page, recorder):
        page.goto(base_url + PREFIX[lang] + url)
        # Leaving before the search worker has loaded would abort its requests.
        page.wait_for_load_state("networkidle")
        page.locator(f'.md-sidebar--secondary a.md-nav__link[href="#{section}"]').click()
        page.hover(".md-header .md-select")  # opens the language list
        with page.expect_navigation():
            page.locator(f'a.md-select__link[hreflang="{other}"]').click()
        page.wait_for_load_state("networkidle")
        landed = page.url
        lang_there = page.evaluate("document.documentElement.lang")
        # The browser scrolled to the section: its heading is in view, below the header.
        top = page.locator(f"#{section}").evaluate("h => h.getBoundingClientRect().top")
        header = page.locator(".md-header").evaluate("h => h.getBoundingClientRect().bottom")
        height = page.evaluate("innerHeight")
    assert (landed, lang_there) == (base_url + PREFIX[other] + url + "#" + section, other)
    assert header - 1 <= top < height / 2, (top, header, height)
    recorder.assert_clean()


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES_WITH_CODE))
def test_copy_button_copies_the_code_exactly_as_the_tests_run_it(visited, lang, url):
    """Material copies the code's text with trailing whitespace trimmed.

    Its bundle copies ``code.innerText.trimEnd()``, so the clipboard holds the block's
    body as pytest-codeblocks runs it, without the final newline.
    """
    copied = visited(lang, url).copied
    for body in executed_code(lang, url):
        assert body.removesuffix("\n") in copied, (
            f"no copy button on {PREFIX[lang]}{url} copies this code as run:\n{body}\n"
            f"copied:\n" + "\n---\n".join(copied)
        )


NOTEBOOK_PAGES = [(lang, url) for lang, url in PAGES if is_notebook(url)]


@pytest.mark.parametrize(("lang", "url"), per_page(PAGES_WITH_CODE + NOTEBOOK_PAGES))
def test_blocks_drawn_only_near_the_viewport_move_nothing(visited, lang, url):
    # Checked on the page's one visit, once its copy buttons and tabs were clicked.
    visit = visited(lang, url)
    moved = visit.moved
    assert moved is not None, f"/{PREFIX[lang]}{url}: not checked"
    assert not moved, (
        f"/{PREFIX[lang]}{url}: {len(moved)} elements move, first (tag, x, y, w, h) "
        f"drawn lazily vs always: {moved[:3]}"
    )
    assert not visit.drawing_problems, "\n".join(visit.drawing_problems)


#: extra.css's rule moved from the pre to the blocks around it (a mistake the check
#: exists for: the pre's margins no longer collapse as drawn), added to a real page.
RULE_ON_THE_BLOCKS = """
.md-typeset pre { content-visibility: visible; contain-intrinsic-size: none; }
.md-typeset .highlight, .md-typeset .result {
  content-visibility: auto; contain-intrinsic-size: auto 12em;
}"""


@pytest.mark.xdist_group("browser:en:read-ahead/")
def test_the_moved_elements_check_sees_a_rule_on_the_wrong_element(browser, base_url):
    with fresh_page(browser, base_url) as (page, _):
        page.goto(base_url + "en/read-ahead/")
        page.add_style_tag(content=RULE_ON_THE_BLOCKS)
        moved = moved_elements(page)
    assert len(moved) > 100, f"{len(moved)} elements moved"


@pytest.mark.parametrize(("lang", "url"), per_page(NOTEBOOK_PAGES))
def test_notebook_page_shows_every_verified_output(visited, lang, url):
    shown = " ".join(visited(lang, url).text.split())
    for output in notebook_outputs(lang, url):
        assert " ".join(output.split()) in shown, f"not shown on {PREFIX[lang]}{url}:\n{output}"


# --- Search, colour schemes ------------------------------------------------------------


#: The names of every property computed for any element of the page, custom (--x)
#: properties included.
PROPERTY_NAMES_JS = """() => {
  const names = new Set();
  for (const element of document.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    for (let i = 0; i < style.length; i++) names.add(style[i]);
  }
  return [...names].sort();
}"""
#: Every element's custom (--x) properties, by element index. Custom properties are
#: read here, not by DOMSnapshot, which takes only standard property names.
CUSTOM_PROPERTIES_JS = """names => [
  ...document.querySelectorAll('.jupyter-wrapper, .jupyter-wrapper *')
].map((element, index) => {
  const style = getComputedStyle(element);
  return index + ' ' + element.tagName + ' ' + names.map(n => style.getPropertyValue(n)).join(';');
})"""
#: Put JupyterLab's whole stylesheet back in place of the pruned one.
FULL_CSS_JS = """css => {
  const pruned = [...document.querySelectorAll('style')]
    .find(style => style.textContent.trimStart().startsWith(css.slice(0, 40)));
  pruned.textContent = css;
}"""


def computed_styles(page, cdp, names: list[str]) -> list[str]:
    """Every computed style of the page: one string per drawn node and per element.

    Only the notebook: ``.jupyter-wrapper`` and what is inside it (Material's own parts
    of the page change under its script). Standard properties come from one
    DOMSnapshot.captureSnapshot (Chrome DevTools Protocol), for every node the browser
    lays out, ::before/::after and ::marker included: read one property at a time from
    script, the same styles took minutes. Custom properties come from getComputedStyle,
    for every element.
    """
    standard = [name for name in names if not name.startswith("--")]
    custom = [name for name in names if name.startswith("--")]
    snapshot = cdp.send(
        "DOMSnapshot.captureSnapshot", {"computedStyles": standard, "includeDOMRects": False}
    )
    strings = snapshot["strings"]
    (document,) = snapshot["documents"]
    nodes = document["nodes"]
    class_name = strings.index("class") if "class" in strings else None
    inside = set()  # the notebook: .jupyter-wrapper and everything in it (document order)
    for node, parent in enumerate(nodes["parentIndex"]):
        attributes = nodes["attributes"][node]
        classes = [
            strings[value]
            for name, value in zip(attributes[::2], attributes[1::2], strict=True)
            if name == class_name
        ]
        if parent in inside or any("jupyter-wrapper" in c.split() for c in classes):
            inside.add(node)
    layout = document["layout"]
    drawn = [
        f"{node} {strings[nodes['nodeName'][node]]} "
        + ";".join(strings[value] if value >= 0 else "" for value in values)
        for node, values in zip(layout["nodeIndex"], layout["styles"], strict=True)
        if node in inside
    ]
    return drawn + page.evaluate(CUSTOM_PROPERTIES_JS, custom)


#: The notebook page whose styles are compared (the smallest: the check is slow), in
#: each language, one colour scheme each.
PRUNED_CSS_PAGES = [
    (lang, url, scheme)
    for (lang, url), scheme in zip(
        [(lang, url) for lang, url in NOTEBOOK_PAGES if "test-bench" in url],
        ["light", "dark"],
        strict=True,
    )
]


@pytest.mark.parametrize(("lang", "url", "scheme"), PRUNED_CSS_PAGES, ids=page_id)
def test_pruned_notebook_stylesheet_styles_every_element_as_the_full_one(
    browser, base_url, lang, url, scheme
):
    """tools/notebook_css.py drops only rules that match nothing on the page."""
    full_css = JUPYTERLAB_CSS.read_text(encoding="utf-8")
    with fresh_page(browser, base_url) as (page, recorder):
        page.emulate_media(color_scheme=scheme)
        page.goto(base_url + PREFIX[lang] + url)
        assert page.evaluate("document.documentElement.lang") == lang  # that language's page
        cdp = page.context.new_cdp_session(page)
        names = page.evaluate(PROPERTY_NAMES_JS)
        pruned_styles = computed_styles(page, cdp, names)
        page.evaluate(FULL_CSS_JS, full_css)
        full_styles = computed_styles(page, cdp, names)
        full_names = page.evaluate(PROPERTY_NAMES_JS)
    assert full_names == names, (
        "properties computed only with the full stylesheet / only with the pruned one: "
        f"{sorted(set(full_names) - set(names))} / {sorted(set(names) - set(full_names))}"
    )
    assert len(pruned_styles) > 100 and len(full_styles) == len(pruned_styles), (
        f"{len(pruned_styles)} styled nodes with the pruned stylesheet, {len(full_styles)} "
        "with the full one"
    )
    differences = [(p, f) for p, f in zip(pruned_styles, full_styles, strict=True) if p != f]
    assert not differences, f"{len(differences)} styles differ, e.g. pruned/full: {differences[0]}"
    recorder.assert_clean()


#: True once Material's search shows its answer to a typed query (texts from the page's
#: own translations, so in either language): neither empty nor the placeholder, and
#: either "no matching documents" or at least one result drawn.
SEARCH_ANSWERED_JS = """() => {
  const texts = JSON.parse(document.getElementById('__config').textContent).translations;
  const meta = document.querySelector('.md-search-result__meta').innerText.trim();
  if (meta === '' || meta === texts['search.result.placeholder']) return false;
  return meta === texts['search.result.none']
    || document.querySelectorAll('.md-search-result__item a').length > 0;
}"""
SEARCH_EMPTY_JS = """() => {
  const texts = JSON.parse(document.getElementById('__config').textContent).translations;
  const meta = document.querySelector('.md-search-result__meta').innerText.trim();
  return meta === texts['search.result.placeholder'];
}"""
#: Scroll the result list as a reader does until Material has drawn as many results as
#: its count says; return ``[count, addresses]``, each result's page address in order.
#: Material draws ten, then four more each time the list's end comes into view
#: (components/search/result: ``bufferCount(4)`` zipped with ``watchElementBoundary``,
#: which emits only on a change, ``distinctUntilChanged``). A jump to the end that is
#: already at the end draws nothing, so each round scrolls back to the top first and
#: waits for Material to see it (it reads the offset once per animation frame).
SEARCH_RESULTS_JS = """async () => {
  const list = document.querySelector('.md-search__scrollwrap');
  const items = () => document.querySelectorAll('.md-search-result__item');
  const count = document.querySelector('.md-search-result__meta').innerText.match(/\\d+/);
  const total = count ? Number(count[0]) : items().length;
  const frames = () => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let round = 0; items().length < total && round < total; round++) {
    list.scrollTop = 0;
    await frames();
    list.scrollTop = list.scrollHeight;
    await frames();
  }
  list.scrollTop = 0;
  return [total, [...items()].map(item => item.querySelector('a').href.split('#')[0])];
}"""


def search_for(page, term):
    """Type ``term`` into the open search box; return the result pages' addresses."""
    query = page.locator("input.md-search__input")
    # Empty the box first and wait for Material's placeholder: the answer awaited
    # next is then this term's, not the previous term's.
    query.fill("")
    query.press("End")
    page.wait_for_function(SEARCH_EMPTY_JS)
    # Playwright types non-ASCII text as one insertion without key events, and
    # Material reads the query on keyup: fill it in, then press a key.
    query.fill(term)
    query.press("End")
    # The worker may load the search index first; wait for the answer to this term,
    # a count or "no matching documents", with its results drawn.
    page.wait_for_function(SEARCH_ANSWERED_JS)
    total, found = page.evaluate(SEARCH_RESULTS_JS)
    assert len(found) == total, f"{term!r}: Material drew {len(found)} of its {total} results"
    return found


def article_text(built_site, lang, page) -> str:
    """The text of a built page's <article>, the part Pagefind indexes (tools/pagefind.py).

    Pages whose text is generated at build time (the versions page) have words that their
    Markdown source does not.
    """
    html = (built_site / PREFIX[lang] / page_url(page) / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", re.search(r"<article\b.*?</article>", html, re.DOTALL)[0])


@pytest.mark.parametrize("lang", PREFIX)
def test_search_finds_every_term_on_its_pages_in_the_same_language(
    browser, base_url, built_site, lang
):
    """Every term of tests/search_terms.py, typed on the home page, finds all its pages.

    A term of SEARCH_NARROW finds no page without its word (Japanese is cut into words).
    """
    home = base_url + PREFIX[lang]
    other_languages = [base_url + p for p in PREFIX.values() if p and p != PREFIX[lang]]
    docs = ROOT / "docs" / lang
    sources = {home + page_url(p.name): p for p in docs.glob("*.md")}
    missed, foreign, too_many = [], [], []
    with fresh_page(browser, base_url) as (page, recorder):
        page.goto(home)
        page.locator("input.md-search__input").click()
        for (term_lang, term), pages in SEARCH_TERMS.items():
            if term_lang != lang:
                continue
            found = search_for(page, term)
            lost = [p for p in pages if home + page_url(p) not in found]
            if lost:
                missed.append(f"{term!r} did not find {', '.join(lost)}")
            foreign += [
                f"{term!r} found {address}"
                for address in found
                if not address.startswith(home) or any(map(address.startswith, other_languages))
            ]
            word = SEARCH_NARROW.get((lang, term))
            too_many += [
                f"{term!r} found {address}, which has no {word!r}"
                for address in found
                if word
                and address in sources
                and word not in article_text(built_site, lang, sources[address].name)
            ]
    terms = sum(1 for term_lang, _ in SEARCH_TERMS if term_lang == lang)
    assert not missed, (
        f"search on {PREFIX[lang] or '/'} missed {len(missed)} of {terms} terms:\n"
        + ("\n".join(missed))
    )
    assert not foreign, "pages of another language:\n" + "\n".join(foreign)
    assert not too_many, "a term not cut into words:\n" + "\n".join(too_many)
    recorder.assert_clean()


def luminance(css_color):
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("bundle", ["bundle-ran", "before-bundle"])
@pytest.mark.parametrize(
    ("scheme", "palette"), [("light", "default"), ("dark", "slate")], ids=["light", "dark"]
)
@pytest.mark.parametrize("lang", PREFIX)
def test_the_colour_scheme_follows_the_system_setting(
    browser, base_url, lang, scheme, palette, bundle
):
    # before-bundle: Material's bundle is deferred, so the first paint comes before it
    # runs; the page as drawn then (bundle answered with an empty script) must already
    # have the system's scheme (overrides/main.html, block header).
    with fresh_page(browser, base_url) as (page, recorder):
        if bundle == "before-bundle":
            page.route(MATERIAL_BUNDLE, lambda route: route.fulfill(body="", content_type=JS))
        page.emulate_media(color_scheme=scheme)
        page.goto(base_url + PREFIX[lang])
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert shown == palette, f"{scheme} system, {bundle}: data-md-color-scheme={shown!r}"
    dark = luminance(background) < 0.5
    assert dark == (scheme == "dark"), f"{scheme} scheme, page background {background}"
    recorder.assert_clean()


@pytest.mark.parametrize(("lang", "url"), per_page((lang, FONT_PAGE) for lang in PREFIX))
def test_japanese_pages_name_japanese_fonts_and_english_pages_keep_materials(visited, lang, url):
    # overrides/assets/stylesheets/extra.css: without a Japanese font in the stack the
    # browser looks for one outside it for every run of Japanese text (maintainers.md).
    family = visited(lang, url).font_family
    japanese = ["Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", "Meiryo"]
    named = [font for font in japanese if font in family]
    assert named == (japanese if lang == "ja" else []), f"{PREFIX[lang] or '/'}: {family}"
    # Latin text keeps Material's fonts: they come before any Japanese one.
    assert all(family.index("Arial") < family.index(font) for font in named), family


# --- 404 pages, and the published build (tests/conftest.py: published_site) -----------

#: A missing address at some depth in each language: the server answers with the nearest
#: 404.html above it (tests/browser.py), as static hosts do.
NOT_FOUND = {"ja": "no/such/page/", "en": "en/no/such/deep/page/"}


@pytest.mark.parametrize("lang", PREFIX)
def test_a_missing_nested_address_shows_its_languages_404_page_linking_home(
    browser, base_url, lang
):
    with fresh_page(browser, base_url) as (page, recorder):
        response = page.goto(base_url + NOT_FOUND[lang])
        page.wait_for_load_state("networkidle")
        shown_lang = page.evaluate("document.documentElement.lang")
        # Material's stylesheet applied: its header sticks to the top.
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        stylesheets = [url for url in recorder.requests if "/assets/stylesheets/main." in url]
        with page.expect_navigation():
            page.locator(f'p.not-found-home[lang="{lang}"] a').click()
        landed = (page.url, page.evaluate("document.documentElement.lang"))
    assert response.status == 404 and shown_lang == lang
    assert header == "sticky" and stylesheets
    assert all(url.startswith(base_url + PREFIX[lang] + "assets/") for url in stylesheets)
    assert landed == (base_url + PREFIX[lang], lang)
    # The 404 answer itself is reported twice (HTTP 404, console): nothing else may fail.
    problems = [p for p in recorder.problems if base_url + NOT_FOUND[lang] not in p]
    assert not problems + recorder.third_party(), problems + recorder.third_party()


@pytest.fixture(scope="session")
def published_url(published_site):
    """The published build served at the path of its site_url (/keras-generators/)."""
    with serve(published_site.parent) as url:
        yield url + published_site.name + "/"


@pytest.mark.parametrize("lang", PREFIX)
def test_the_published_site_with_its_repository_link_asks_no_other_host(
    browser, published_url, lang
):
    # With repo_url, Material's script would ask GitHub's API for stars and forks;
    # overrides/partials/source.html keeps it from doing so.
    with fresh_page(browser, published_url) as (page, recorder):
        page.goto(published_url + PREFIX[lang] + "read-ahead/")
        page.wait_for_load_state("networkidle")
        sources = page.locator("a.md-source").count()
        colab = page.locator('a[href^="https://colab.research.google.com/github/"]').count()
    assert sources >= 1 and colab == 1  # the header's link, and the drawer's on mobile
    recorder.assert_clean()


def test_the_request_check_sees_materials_github_api_request(browser, published_url):
    # The check above can fail: with Material's own partial (data-md-component="source")
    # its script asks api.github.com (the request is aborted here, never sent).
    address = published_url + "read-ahead/"

    def with_materials_partial(route):
        response = route.fetch()
        body = response.text().replace(
            'class="md-source"', 'class="md-source" data-md-component="source"'
        )
        route.fulfill(response=response, body=body)

    with fresh_page(browser, published_url) as (page, recorder):
        page.route("https://api.github.com/**", lambda route: route.abort())
        page.route(address, with_materials_partial)
        page.goto(address)
        page.wait_for_load_state("networkidle")
    assert [url for url in recorder.third_party() if url.startswith("https://api.github.com/")]
