"""Drop the syntax-highlighting ``<span>``s that change nothing on screen.

Pygments wraps every token of a code block in a ``<span class="...">``; on the pitfall
pages these spans are four in five of the page's elements (reusing-generators: about
1,800 of 2,250), and the browser's style and layout work, which delays the first
paint on a slow phone, grows with the element count. Two kinds of spans are no-ops
with Material's stylesheet:

* ``n`` (a plain name): Material colours it ``--md-code-hl-name-color``, which is
  ``--md-code-fg-color``, the colour of the code block itself, in both schemes;
* ``w`` (whitespace): no rule styles it.

:func:`unwrap_plain_spans` keeps their text and drops the tags, then joins two spans
of the same class that only whitespace separates (``<span class="p">,</span>
<span class="p">(</span>`` becomes ``<span class="p">, (</span>``): a colour on
spaces is invisible. The text, and so what the copy button copies and what search
indexes, is unchanged. Only Pygments' output is touched: it escapes ``<`` in code,
so a span's text never holds a tag.
"""

from __future__ import annotations

import re

#: A Pygments span of a class with no visible style, and its text.
PLAIN_SPAN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
#: Two spans of one class with only whitespace (or nothing) between them.
SAME_CLASS = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span>(\s*)<span class="\1">')
#: A code block (pymdownx.highlight's ``<div class="highlight">``) or an inline one
#: (pymdownx.inlinehilite's ``<code class="highlight">``).
CODE = re.compile(
    r'(<div class="highlight"><pre>.*?</pre></div>|<code class="highlight">.*?</code>)', re.S
)


def _lean(code: str) -> str:
    code = PLAIN_SPAN.sub(r"\1", code)
    while True:
        joined = SAME_CLASS.sub(r'<span class="\1">\2\3', code)
        if joined == code:
            return code
        code = joined


def unwrap_plain_spans(html: str) -> str:
    """Return ``html`` with the invisible highlighting spans of its code removed."""
    return CODE.sub(lambda match: _lean(match.group(1)), html)
