"""Show on the page which code blocks the tests do not run (for ``hooks/skip_label.py``).

A block preceded by ``<!-- skip: next "reason" -->`` is not executed by the docs harness. The
comment is invisible on the rendered page, so a reader would take the block for tested code like
every other one. :func:`label_skips` puts a small warning box right above each skipped block:
"이 블록은 실행하지 않습니다: <reason>" on Korean pages, "Not run here: <reason>" on English ones.

The harness's own parser (:mod:`.parse`) decides which blocks are skipped, so the label and the
test count can never disagree. The box goes above the skip comment, leaving the comment directly in
front of its block for every later reader of the Markdown (the stamps hook among them).
"""

from __future__ import annotations

import re

from .parse import ParseError, parse_page
from .words import WORDS

CSS_CLASS = "nnref-skip"
SKIP_COMMENT = re.compile(r"^[ \t]*<!--\s*skip\s*:")


def label_skips(markdown: str, lang: str) -> str:
    """``markdown`` with a title-only admonition above the skip comment of every skipped block."""
    try:
        blocks = parse_page(markdown)
    except ParseError:  # the tests report it with its line; a label must not break the build
        return markdown
    lines = markdown.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    inserts: dict[int, str] = {}
    for block in blocks:
        if block.skip_reason is None:
            continue
        index = starts.index(block.start)
        while index > 0 and not SKIP_COMMENT.match(lines[index]):
            index -= 1  # back from the fence to its skip comment (blank lines may sit between)
        indent = re.match(r"^[ \t]*", lines[index])[0]
        title = WORDS["skiplabel"][lang]["label"].format(reason=block.skip_reason)
        inserts[index] = f'{indent}!!! warning {CSS_CLASS} "{title}"\n\n'
    if not inserts:
        return markdown
    out = []
    for index, line in enumerate(lines):
        if index in inserts:
            if out and out[-1].strip():
                out.append("\n")  # an admonition needs a blank line before it
            out.append(inserts[index])
        out.append(line)
    return "".join(out)
