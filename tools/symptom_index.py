"""The symptom index (docs/<lang>/symptoms.md) links every pitfall section of the site.

A *pitfall section* is, simply, every ``##`` section of every page except the pages in
:data:`NOT_PITFALL_PAGES` (the home page, the index itself, the test bench, the
checklist, the maintainers' page) and the sections in :data:`NOT_PITFALL_SECTIONS`
(lists of links to other pages and summaries, which repeat what the other sections
show). A new page is therefore a pitfall page until it is named here, and the index
must link its sections.

MkDocs itself fails the strict build on a link to a missing page or section
(``validation: anchors`` in mkdocs.yml); this check names the missing or broken link
before a build, in one line each.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.headings import page_headings
from tools.snippets import ROOT, page_files

#: The symptom index, relative to each language's docs folder.
INDEX = "symptoms.md"
#: Pages that are not about a pitfall: their sections need no entry in the index.
NOT_PITFALL_PAGES = frozenset(
    {"index.md", INDEX, "test-bench.md", "checklist.md", "maintainers.md"}
)
#: Section ids that only point elsewhere or sum up the page.
NOT_PITFALL_SECTIONS = frozenset({"see-also", "related", "summary"})
#: A Markdown link to a section of another page: ``](page.md#id)``.
SECTION_LINK = re.compile(r"\]\((?P<page>[\w./-]+\.md)#(?P<id>[\w-]+)\)")


def pitfall_sections(root: Path, lang: str) -> list[tuple[str, str]]:
    """Return the (page, id) of every pitfall section of one language, in page order.

    Args:
        root: the repository root (a checkout or a copy).
        lang: a language folder under docs/ (``ja``, ``en``).
    """
    docs = Path(root) / "docs" / lang
    sections = []
    for page in page_files(root)[lang]:
        name = page.relative_to(docs).as_posix()
        if name in NOT_PITFALL_PAGES:
            continue
        sections += [
            (name, h.id)
            for h in page_headings(page)
            if h.level == 2 and h.id and h.id not in NOT_PITFALL_SECTIONS
        ]
    return sections


def check_symptom_index(root: Path = ROOT) -> list[str]:
    """Every link of the symptom index resolves, and every pitfall section is linked.

    Returns one ``path:line: what`` problem per broken link and one ``path: ...`` per
    pitfall section the index of that language does not link; a language without the
    index gives one problem.
    """
    root = Path(root)
    problems = []
    for lang in page_files(root):
        docs = root / "docs" / lang
        index = docs / INDEX
        shown = f"docs/{lang}/{INDEX}"
        if not index.is_file():
            problems.append(f"{shown}: the symptom index is missing")
            continue
        linked = set()
        ids = {}
        for number, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1):
            for match in SECTION_LINK.finditer(line):
                page, section = match.group("page"), match.group("id")
                if page not in ids:
                    target = docs / page
                    ids[page] = {h.id for h in page_headings(target)} if target.is_file() else None
                if ids[page] is None:
                    problems.append(f"{shown}:{number}: link to a missing page {page}")
                elif section not in ids[page]:
                    problems.append(f"{shown}:{number}: {page} has no section #{section}")
                linked.add((page, section))
        for page, section in pitfall_sections(root, lang):
            if (page, section) not in linked:
                problems.append(
                    f"{shown}: pitfall section {page}#{section} is not linked; add it to the "
                    "entry of the symptom it explains (or name it in tools/symptom_index.py "
                    "if it is not a pitfall)"
                )
    return problems
