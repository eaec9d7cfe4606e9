"""What the Pages workflow's build adds, and what a local build leaves out.

``built_site`` is a local build (no SITE_URL, SITE_REPO_URL, SITE_VERIFIED_ON);
``published_site`` is built with them, as .github/workflows/site.yml does (tests/conftest.py).
Each language: site address, canonical and sharing tags, 404 pages, links to the
repository (view source, each snippet's file, Open in Colab), the "verified on" date,
llms.txt and llms-full.txt, and the maintainers' page out of the navigation.
"""

import html as htmllib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from tests.browser import PREFIX, build_site, page_url, third_party_references
from tests.conftest import PUBLISHED, edit
from tools import checks
from tools.notebooks import pages_with_snippets
from tools.publish_notebooks import publish
from tools.site_links import NOTEBOOK_BRANCH, colab_url, verified_on
from tools.snippets import ROOT, page_files, page_includes, parse_backend_output, parse_snippet

SITE_URL = PUBLISHED["SITE_URL"]
REPO = PUBLISHED["SITE_REPO_URL"]
NAV = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
#: (language, page file under docs/<lang>/) of every page, notebook pages left out.
PAGES = sorted(
    (lang, page.relative_to(ROOT / "docs" / lang).as_posix())
    for lang, pages in page_files(ROOT).items()
    for page in pages
)
NOTEBOOKS = sorted(
    (lang, page.stem) for lang, pages in pages_with_snippets(ROOT).items() for page in pages
)


def page_html(site: Path, lang: str, page: str) -> str:
    return (site / PREFIX[lang] / page_url(page) / "index.html").read_text(encoding="utf-8")


def every_html(site: Path, lang: str) -> list[Path]:
    """Every HTML file of one language's build."""
    root = site / PREFIX[lang]
    other = [site / p for p in PREFIX.values() if p and p != PREFIX[lang]]
    return [
        path
        for path in sorted(root.rglob("*.html"))
        if not any(path.is_relative_to(o) for o in other)
    ]


def front_matter(lang: str, page: str) -> dict:
    text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def meta(html: str, key: str) -> str | None:
    """The content of <meta property|name="key">, unescaped."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return htmllib.unescape(match.group(1)) if match else None


# --- A local build: nothing that needs the published address or the repository ------


@pytest.mark.parametrize("lang", PREFIX)
def test_a_local_build_links_no_repository_colab_or_canonical_address(built_site, lang):
    for path in every_html(built_site, lang):
        html = path.read_text(encoding="utf-8")
        for absent in (
            "colab.research.google.com",
            'class="md-source"',
            "snippet-source",
            'rel="canonical"',
            'property="og:url"',
            "verified-on",
        ):
            assert absent not in html, f"{path.relative_to(built_site)}: {absent}"


@pytest.mark.parametrize("lang", PREFIX)
def test_a_local_build_says_nothing_about_when_the_outputs_were_verified(built_site, lang):
    html = (built_site / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
    assert 'class="verified-with"' in html and "<time" not in html


# --- The published build --------------------------------------------------------------


@pytest.mark.parametrize("lang", PREFIX)
def test_each_language_has_its_own_address_canonical_links_and_sitemap(published_site, lang):
    address = SITE_URL + PREFIX[lang]
    for _, page in [p for p in PAGES if p[0] == lang]:
        html = page_html(published_site, lang, page)
        canonical = address + page_url(page)
        assert f'<link rel="canonical" href="{canonical}">' in html, page
        assert meta(html, "og:url") == canonical, page
    sitemap = (published_site / PREFIX[lang] / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert address + "test-bench/" in locations
    assert all(url.startswith(address) for url in locations)
    if lang == "ja":  # the English pages are in the English sitemap only
        assert not [url for url in locations if url.startswith(SITE_URL + "en/")]


@pytest.mark.parametrize(("lang", "page"), PAGES)
def test_every_page_has_its_title_and_description_for_sharing(published_site, lang, page):
    html = page_html(published_site, lang, page)
    description = front_matter(lang, page)["description"]
    title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html).group(1))
    assert meta(html, "description") == description
    for key in ("og:description", "twitter:description"):
        assert meta(html, key) == description, key
    for key in ("og:title", "twitter:title"):
        assert title.startswith(meta(html, key)), (key, title)
    assert meta(html, "og:locale") == {"ja": "ja_JP", "en": "en_US"}[lang]
    assert meta(html, "twitter:card") == "summary"
    # No preview image: an image service or a picture on another host is a third-party
    # request the site never makes.
    assert meta(html, "og:image") is None and meta(html, "twitter:image") is None


def test_the_published_build_loads_nothing_from_other_hosts(published_site):
    found = third_party_references(published_site)
    assert not found, "the published site loads from other hosts:\n" + "\n".join(found)


@pytest.mark.parametrize(("lang", "page"), PAGES)
def test_every_page_links_its_source_without_asking_githubs_api(published_site, lang, page):
    html = page_html(published_site, lang, page)
    assert f'<a href="{REPO}" title=' in html and 'class="md-source"' in html
    # Material's script fetches stars and forks for [data-md-component=source]:
    # overrides/partials/source.html leaves the attribute out.
    assert 'data-md-component="source"' not in html
    view = f"{REPO}/raw/main/docs/{lang}/{page}"
    assert f'<a href="{view}" title=' in html
    assert (ROOT / "docs" / lang / page).is_file()


@pytest.mark.parametrize(("lang", "page"), PAGES)
def test_every_included_snippet_links_its_file_in_the_repository(published_site, lang, page):
    html = page_html(published_site, lang, page)
    targets = [target for _, target in page_includes(ROOT / "docs" / lang / page)]
    links = re.findall(r'<p class="snippet-source"[^>]*><a href="([^"]*)">([^<]*)</a></p>', html)
    assert links == [(f"{REPO}/blob/main/{target}", target) for target in targets]
    assert all((ROOT / target).is_file() for target in targets)
    assert all(
        "data-search-exclude" in p for p in re.findall(r'<p class="snippet-source"[^>]*>', html)
    )


@pytest.mark.parametrize(("lang", "topic"), NOTEBOOKS)
def test_open_in_colab_opens_the_published_notebook(published_site, tmp_path, lang, topic):
    url = colab_url(REPO, lang, topic)
    prefix = (
        f"https://colab.research.google.com/github/example/keras-generators/blob/{NOTEBOOK_BRANCH}/"
    )
    assert url == prefix + f"{lang}/{topic}.ipynb"
    page = page_html(published_site, lang, f"{topic}.md")
    notebook_dir = published_site / PREFIX[lang] / "notebooks" / topic
    notebook_page = (notebook_dir / "index.html").read_text(encoding="utf-8")
    assert f'href="{url}"' in page
    assert f'<a href="{url}" class="notebook-colab">' in notebook_page
    # What the workflow pushes to the notebooks branch (tools/publish_notebooks.py) has
    # this notebook at the path the link names, the same bytes as the site's download.
    publish(tmp_path)
    published = tmp_path / url.removeprefix(prefix)
    assert published.read_bytes() == (notebook_dir / f"{topic}.ipynb").read_bytes()


@pytest.mark.parametrize("lang", PREFIX)
def test_a_notebook_pages_view_source_shows_the_page_it_is_made_from(published_site, lang):
    html = (published_site / PREFIX[lang] / "notebooks/test-bench/index.html").read_text("utf-8")
    assert f'<a href="{REPO}/raw/main/docs/{lang}/test-bench.md" title=' in html


@pytest.mark.parametrize("lang", PREFIX)
def test_every_page_shows_when_the_workflow_last_verified_the_outputs(published_site, lang):
    date = PUBLISHED["SITE_VERIFIED_ON"]
    for path in every_html(published_site, lang):
        html = path.read_text(encoding="utf-8")
        if 'class="verified-with"' in html:
            assert f'<time datetime="{date}">{date}</time>' in html, path


def test_a_verified_on_date_that_is_not_a_date_stops_the_build_in_one_line(tmp_path):
    assert verified_on({}) is None and verified_on({"SITE_VERIFIED_ON": ""}) is None
    assert verified_on({"SITE_VERIFIED_ON": "2026-11-29"}) == "2026-11-29"
    with pytest.raises(ValueError, match="is not a date"):
        verified_on({"SITE_VERIFIED_ON": "yesterday"})
    # The hook reads it first thing (on_config): the build stops before any page.
    done = build_site(tmp_path / "site", {"SITE_VERIFIED_ON": "yesterday"})
    assert done.returncode != 0
    assert "SITE_VERIFIED_ON='yesterday' is not a date like 2026-11-30" in done.stderr
    assert "Traceback" not in done.stderr


# --- 404 pages (the browser visits them: tests/test_browser.py) ----------------------


def not_found_links(html: str) -> dict[str, str]:
    return dict(
        (lang, href)
        for lang, href in re.findall(
            r'<p lang="(\w+)" class="not-found-home">\s*<a href="([^"]*)"', html
        )
    )


@pytest.mark.parametrize("lang", PREFIX)
def test_each_languages_404_page_is_rooted_at_its_address(built_site, published_site, lang):
    for site, root in ((built_site, "/"), (published_site, "/keras-generators/")):
        html = (site / PREFIX[lang] / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]*)"', html)
        assert stylesheets and all(
            s.startswith(root + PREFIX[lang] + "assets/") for s in stylesheets
        )
        links = not_found_links(html)
        assert list(links)[0] == lang, "its own language's home first"
        assert {k: urljoin("http://h" + root + PREFIX[lang], v) for k, v in links.items()} == {
            other: "http://h" + root + PREFIX[other] for other in PREFIX
        }


# --- llms.txt and llms-full.txt ----------------------------------------------------------


def nav_pages() -> list[str]:
    return [entry for entry in NAV if isinstance(entry, str)]


@pytest.mark.parametrize("lang", PREFIX)
def test_llms_txt_lists_every_reader_page_with_its_description(built_site, published_site, lang):
    for site, base in ((built_site, ""), (published_site, SITE_URL + PREFIX[lang])):
        text = (site / PREFIX[lang] / "llms.txt").read_text(encoding="utf-8")
        items = re.findall(r"^- \[(.+)\]\(([^)]*)\): (.*)$", text, re.MULTILINE)
        expected = [
            ((base + page_url(page)) or "./", front_matter(lang, page)["description"])
            for page in nav_pages()
        ]
        assert [(url, description) for _, url, description in items] == expected
        assert "maintainers" not in text


def output_blocks(lang: str, page: str) -> list[str]:
    """Every output block and code block a page shows, from its snippet files."""
    blocks = []
    for _, target in page_includes(ROOT / "docs" / lang / page):
        path = ROOT / target
        if path.name.count(".") > 1:  # a backend's output file
            blocks += [fence.body for fence in parse_backend_output(path).outputs]
            continue
        for block in parse_snippet(path):
            blocks.append(block.code.body)
            if block.output:
                blocks.append(block.output.body)
    return blocks


@pytest.mark.parametrize("lang", PREFIX)
def test_llms_full_txt_holds_every_code_and_output_block_of_every_page_exactly(built_site, lang):
    full = (built_site / PREFIX[lang] / "llms-full.txt").read_text(encoding="utf-8")
    checked = 0
    for page in nav_pages():
        for body in output_blocks(lang, page):
            assert f"\n{body}```" in full, f"{lang}/{page}: block not in llms-full.txt:\n{body}"
            checked += 1
    assert checked > 50
    # The pages' text, without the site's markup or navigation.
    for chrome in ("--8<--", "pytest-codeblocks", "{ .snippet-source", "md-nav", "<figure"):
        assert chrome not in full, chrome
    assert not re.search(r"^#+ .*\{ ?#", full, re.MULTILINE), "heading ids left in"
    assert "maintainers" not in full


def test_llms_full_txt_is_made_from_the_pages_of_this_build(site_copy, tmp_path):
    # Generated at build time from the same pages: an edited output shows up in it.
    from tools.llms import page_text

    snippet = site_copy / "snippets/test-bench/two-steps.md"
    page = (site_copy / "docs/en/test-bench.md").read_text(encoding="utf-8")
    text = snippet.read_text(encoding="utf-8")
    output = parse_snippet(snippet)[0].output.body
    body = page.split("---\n", 2)[2]
    before = page_text(body, site_copy).count(output)
    snippet.write_text(text.replace(output, "edited output\n"), encoding="utf-8")
    assert "\nedited output\n```" in page_text(body, site_copy)
    assert page_text(body, site_copy).count(output) == before - 1


# --- Maintainers' material out of the readers' way -------------------------------------


def test_the_maintainers_page_is_not_in_the_navigation(site_copy):
    assert "maintainers.md" not in nav_pages()
    assert not checks.check_languages(ROOT)
    # Left out on purpose (not_in_nav): without that line the check names the page.
    edit(site_copy / "mkdocs.yml", "  /maintainers.md\n", "")
    problems = checks.check_languages(site_copy)
    assert "docs/ja/maintainers.md: not in the nav of mkdocs.yml" in problems


@pytest.mark.parametrize("lang", PREFIX)
def test_every_page_links_the_maintainers_page_from_its_footer_only(built_site, lang):
    for path in every_html(built_site, lang):
        html = path.read_text(encoding="utf-8")
        if path.name == "404.html" or path.parent.name == "maintainers":
            continue
        hrefs = re.findall(r'<a href="([^"]*maintainers/)"', html)
        assert len(hrefs) == 1, (path, hrefs)
        footer = html[html.index('class="md-copyright"') :]
        assert hrefs[0] in footer
        target = (path.parent / hrefs[0] / "index.html").resolve()
        assert target == (built_site / PREFIX[lang] / "maintainers/index.html").resolve()
        assert f'<html lang="{lang}"' in target.read_text(encoding="utf-8")


def test_published_site_links_contributing_from_the_footer(published_site):
    html = (published_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{REPO}/blob/main/CONTRIBUTING.md"' in html
    assert (ROOT / "CONTRIBUTING.md").is_file()


def test_publish_notebooks_refuses_a_file_in_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "tools.publish_notebooks", str(tmp_path / "file")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"publish_notebooks: {tmp_path / 'file'} is not a folder"
