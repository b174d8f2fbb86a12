"""The one fence scanner: which lines of a Markdown page are inside fenced code, and which are text.

A small line scanner (not a full CommonMark parser) that knows what the site's pages use: fences
of backticks or tildes at any indentation (admonitions, content tabs, lists), a closing fence of
the same character at least as long as the opening one, and longer fences around shorter ones
(a page that shows Markdown). The page parser (:mod:`.parse`), the errata collector
(:mod:`.errata`) and the glossary check (:mod:`.glossary`) all read pages through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

OPEN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
CLOSE_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")
# an ATX heading of a text line: its level (``hashes``), its text, and the id of an attribute list
# after it (``## Adam {#adam}``, ``## Adam { .x #adam }``), or None
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*(?:\{[^}]*#(?P<id>[\w-]+)[^}]*\})?[ \t]*$")


class ParseError(ValueError):
    """A page construct the toolkit refuses to guess about; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Text:
    """One line outside every fence (``text`` without its line ending)."""

    line: int  # 1-based
    text: str


@dataclass(frozen=True)
class Fence:
    """One fenced block: from its opening line to its closing line (both 1-based, inclusive)."""

    line: int
    end_line: int
    indent: str
    marker: str  # the opening run of backticks or tildes
    info: str  # what follows the marker: ``python title="a.py"``
    body: str  # the lines between, de-indented by the opening fence's indentation

    @property
    def lang(self) -> str:
        return fence_language(self.info)


def fence_language(info: str) -> str:
    """``'python title="a.py"'`` -> ``'python'``; ``'{.py .copy}'`` -> ``'py'``."""
    info = info.strip().lstrip("{").strip()
    first = re.split(r"[\s}]", info, maxsplit=1)[0] if info else ""
    return first.lstrip(".").lower()


def dedent(lines: list[str], indent: str) -> str:
    """Remove ``indent`` from each line (a line indented less loses what it has)."""
    return "".join(text[len(indent) :] if text.startswith(indent) else text.lstrip(" \t") for text in lines)


def scan(text: str, *, strict: bool = True) -> Iterator[Text | Fence]:
    """Every line outside fences as :class:`Text`, and every fence as one :class:`Fence`, in order.

    An unclosed fence is a :class:`ParseError` when ``strict`` (the tests want its line); otherwise
    it runs to the end of the page, as CommonMark reads it (the build must not stop on it).
    """
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip("\r\n")
        opened = OPEN_FENCE.match(raw)
        if not opened or (opened["fence"][0] == "`" and "`" in opened["info"]):  # ```x``` inline code
            yield Text(i + 1, raw)
            i += 1
            continue
        marker = opened["fence"]
        j = i + 1
        while j < len(lines):
            closing = CLOSE_FENCE.match(lines[j].rstrip("\r\n"))
            if closing and closing["fence"][0] == marker[0] and len(closing["fence"]) >= len(marker):
                break
            j += 1
        if j == len(lines) and strict:
            raise ParseError(i + 1, f"the fence opened here ({marker}{opened['info']}) is never closed")
        body = dedent(lines[i + 1 : j], opened["indent"])
        yield Fence(i + 1, min(j, len(lines) - 1) + 1, opened["indent"], marker, opened["info"], body)
        i = j + 1


def text_lines(text: str) -> Iterator[Text]:
    """Only the lines outside fences (headings, prose, comments, admonition titles)."""
    for part in scan(text, strict=False):
        if isinstance(part, Text):
            yield part


def uncommented(text: str) -> Iterator[tuple[Text, str | None]]:
    """Each line outside fences with what of it lies outside HTML comments: the whole line where no
    comment touches it, the text before ``<!--`` on a line that opens one, and None on a line
    inside a comment (the line that closes it included). A comment runs on while the text after
    the last ``<!--`` of a line holds no ``-->``."""
    comment = False
    for part in text_lines(text):
        line = part.text
        opened = comment or "<!--" in line
        kept = None if comment else line.split("<!--", 1)[0]
        if opened:
            comment = "-->" not in line.split("<!--")[-1]
        yield part, kept
