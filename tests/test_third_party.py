"""Nothing the site loads comes from another host: the built HTML and CSS files.

The browser tests (tests/test_browser.py) check the same at run time, request by
request; this check needs no browser, so it runs everywhere.
"""

from tests.browser import css_references, is_third_party, third_party_references


def test_built_pages_and_css_load_nothing_from_other_hosts(built_site):
    found = third_party_references(built_site)
    assert not found, "the built site loads from other hosts:\n" + "\n".join(found)


def test_the_third_party_scan_sees_what_it_must(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">\n'
        '<script src="//cdn.example.com/x.js"></script>\n'
        '<img src="https://example.com/a.png"><iframe src="http://example.com/"></iframe>\n'
        '<style>body { background: url("https://example.com/b.png") }</style>\n'
        '<a href="https://keras.io/">keras.io</a><link rel="canonical" href="https://x.org/">\n'
        '<script src="assets/local.js"></script><img src="data:image/png;base64,AAAA">\n',
        encoding="utf-8",
    )
    (tmp_path / "a.css").write_text(
        '@import url(//example.com/c.css);\n@import "https://example.com/d.css";\n'
        "b { background: url(data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>) }"
        "\n",
        encoding="utf-8",
    )
    found = third_party_references(tmp_path)
    assert [line.split(": ", 1)[0] for line in found] == [
        "index.html:1",
        "index.html:2",
        "index.html:3",
        "index.html:3",
        "index.html:4",
        "a.css:1",
        "a.css:2",
    ], found
    assert not is_third_party("../assets/x.css") and is_third_party("//cdn.example.com/x")
    assert css_references("x{background:url( 'y.png' )}") == ["y.png"]
