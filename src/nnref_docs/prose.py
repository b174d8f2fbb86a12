"""Prose checked like code: the numbers a page states in words, and what its two languages say.

Three rules, each taking :class:`~nnref_docs.parse.Page` objects and returning
:class:`~nnref_docs.findings.Finding` objects (``file:line``):

- :func:`number_problems`: a number in running text that a reader would take as a result (a
  decimal, a percentage, a count written with thousands separators, or a whole number from 10 up
  in a sentence that says it was measured, printed, reached or shown) must be one the page's own
  code shows: printed in an output block (by the harness's rule, at the prose's precision: prose
  ``0.82`` accepts a printed ``0.8213``; a percentage accepts its fraction) or written in a code
  block as a setting (``lr=0.01``). Otherwise its sentence carries a visible source: a link, a
  seed note (``seed 002``), a citation with a year, a test file (``tests/unit/test_autograd.py``) or
  a software version (``torch 2.13``).
  Math, inline code, headings and HTML comments are not prose.
- :func:`parity_problems`: the two languages of a section carry the same such numbers, the same
  link targets and the same inline code.
- :func:`untranslated`: a Korean page's running text has no English sentence (six or more English
  words in a row outside code, math, links and parentheses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .fences import HEADING, Fence, scan
from .findings import Finding
from .parse import Page

# what is not prose inside a line
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_INLINE_MATH = re.compile(r"\$[^$\n]+\$|\\\(.*?\\\)")
_COMMENT = re.compile(r"<!--.*?-->")
_TAG = re.compile(r"<[^>\n]+>")
_LINK = re.compile(r"\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ATTRS = re.compile(r"\{[#.:][^}]*\}")  # {#anchor} and attribute lists
_ADMONITION = re.compile(r"^\s*[!?]{3}\+?\s+\w+")
_BLOCK_START = re.compile(r"^\s*(?:[-*+|]|\d+\.)\s")  # a list item or a table row starts a paragraph
_DISPLAY_MATH = re.compile(r"^\s*(\$\$|\\\[|\\\])")

# a number as prose writes it: 32,000 / 0.821 / 94.3% / 128; not inside a word, a path or a version tag
# (Korean particles and counters may follow: 0.5로, 100개; an ASCII letter or digit may not: 3x3, conv2d)
_PROSE_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.,/#=+-])(?P<num>\d{1,3}(?:,\d{3})+|\d+\.\d+|\d+)(?P<pct>\s?%)?(?![A-Za-z0-9_]|\.\d|,\d{3})"
)
_CLAIM = re.compile(
    r"measur|print|reach|shows?\b|shown|above|below|측정|출력|위에서|아래|보여|나옵|도달|찍",
    re.IGNORECASE,
)
_SOURCE = re.compile(
    r"\]\(|\]\[|https?://|seed\s*00\d|et al\.|(?<!\d)(?:19|20)\d\d(?!\d)|tests/[\w/]+\.py|"
    r"\b(?:Python|PyTorch|torch|torchvision|CUDA|cuDNN|NumPy|numpy|Material|MkDocs|mkdocs|Chromium|"
    r"Volta|Ampere|IEEE|version|v)\s?\d",
)
# a number in code or output, also glued to a letter (x2.8, lr=3e-4, 64,000, 1_000)
_SHOWN = re.compile(r"\d[\d,_]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_BIG = re.compile(r"(?<![\d.,])(?:(?P<eok>\d+)억\s?)?(?:(?P<man>\d+)만|(?P<mil>\d+(?:\.\d+)?) million)(?![\d])")
_IDENTIFIER = re.compile(r"^`[A-Za-z_][\w.]*(\(\))?`$", re.ASCII)  # `nn.Conv2d`, `zero_grad()`: the same in both
_ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z][A-Za-z'’-]*\b[ ,;:]+){5,}\b[A-Za-z][A-Za-z'’-]*\b")


@dataclass(frozen=True)
class ProseNumber:
    line: int
    text: str  # as written, without the % sign
    percent: bool
    sentence: str  # the raw sentence it stands in, links kept (the source rule reads them)


def _strip(line: str) -> str:
    """The prose of a text: code, math, comments, tags and attribute lists blanked out, each by as
    many spaces, so that positions in the result are positions in the text."""
    for pattern in (_COMMENT, _INLINE_CODE, _INLINE_MATH, _TAG, _ATTRS):
        line = pattern.sub(lambda m: " " * len(m[0]), line)
    return line


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """``(line, raw line)`` for every line of running text: outside fences, display math, headings
    and admonition titles."""
    out = []
    in_math = False
    for part in scan(text, strict=False):
        if isinstance(part, Fence):
            continue
        raw = part.text
        if _DISPLAY_MATH.match(raw):
            opens = raw.strip()
            if opens.startswith("$$") and opens.count("$$") >= 2 and len(opens) > 2:
                continue  # $$ ... $$ on one line
            in_math = not in_math if opens.startswith("$$") else opens.startswith("\\[")
            continue
        if in_math:
            continue
        if HEADING.match(raw):
            continue
        if _ADMONITION.match(raw):
            continue
        out.append((part.line, raw))
    return out


def _sentences(text: str) -> list[tuple[int, str, str]]:
    """``(line, prose, raw)`` per sentence of running text: lines joined into paragraphs (a blank
    line, a list item or a table row starts a new one), cut after ``.``, ``!`` or ``?`` followed by
    a space (outside code and math); ``line`` is where the sentence starts."""
    paragraphs: list[list[tuple[int, str]]] = []
    previous = None
    for line, raw in _prose_lines(text):
        if not raw.strip():
            previous = None
            continue
        if previous is None or line != previous + 1 or _BLOCK_START.match(raw):
            paragraphs.append([])
        paragraphs[-1].append((line, raw))
        previous = line
    out = []
    for para in paragraphs:
        joined, starts = "", []
        for line, raw in para:
            starts.append((len(joined), line))
            joined += raw.strip() + " "
        prose = _strip(joined)
        cuts = [0] + [m.end() for m in re.finditer(r"[.!?](?=\s)", prose)] + [len(prose)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if not prose[a:b].strip():
                continue
            first = a + len(prose[a:b]) - len(prose[a:b].lstrip())
            line = max((ln for offset, ln in starts if offset <= first), default=para[0][0])
            out.append((line, prose[a:b], joined[a:b]))
    return out


def prose_numbers(text: str) -> list[ProseNumber]:
    """The numbers of a page's running text that read as results (see the module docstring)."""
    found = []
    for line, sentence, raw in _sentences(text):
        claims = bool(_CLAIM.search(sentence))
        for match in _PROSE_NUMBER.finditer(sentence):
            num, pct = match["num"], bool(match["pct"])
            if pct or "." in num or "," in num or (claims and int(num) >= 10):
                found.append(ProseNumber(line, num, pct, raw))
    return found


def shown_numbers(text: str) -> tuple[set[str], set[str]]:
    """``(printed, written)``: the numbers in the page's output blocks, and those in its code."""
    printed: set[str] = set()
    written: set[str] = set()
    for part in scan(text, strict=False):
        if not isinstance(part, Fence):
            continue
        target = written if part.lang in ("python", "py", "bash", "console", "yaml", "toml") else printed
        if part.lang == "pycon":  # doctest: >>> lines are code, the rest output
            for row in part.body.splitlines():
                bucket = written if row.startswith((">>>", "...")) else printed
                bucket.update(_SHOWN.findall(row))
            continue
        target.update(_SHOWN.findall(part.body))
    return printed, written


def _value(number: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", "").replace("_", ""))
    except InvalidOperation:
        return None


def _matches(prose: ProseNumber, shown: set[str]) -> bool:
    """At the prose's precision: within one unit of its last digit (``0.82`` ~ ``0.8213``); a
    percentage also as its fraction (``94.3%`` ~ ``0.943``)."""
    x = _value(prose.text)
    if x is None:
        return True
    decimals = len(prose.text.partition(".")[2]) if "." in prose.text else 0
    unit = Decimal(1).scaleb(-decimals)
    for y in filter(None, map(_value, shown)):
        if abs(abs(y) - x) <= unit / 2 or (abs(abs(y) - x) <= unit and decimals):
            return True
        if prose.percent and abs(abs(y) * 100 - x) <= unit:
            return True
    return False


def number_problems(page: Page) -> list[Finding]:
    """Every number of the prose that the page neither shows nor sources."""
    text = page.text
    printed, written = shown_numbers(text)
    problems = []
    for number in prose_numbers(text):
        if _matches(number, printed | written) or _SOURCE.search(number.sentence):
            continue
        shown = number.text + ("%" if number.percent else "")
        message = f"prose: {shown} is not printed or set by this page's code; print it, or link its source"
        problems.append(page.finding(number.line, message))
    return problems


def _big_number(m: re.Match) -> str:
    """``10만`` -> ``100,000``; ``1억 3800만`` -> ``138,000,000``; ``138 million`` -> ``138,000,000``."""
    if m["mil"]:
        value = Decimal(m["mil"]) * 1_000_000
    else:
        value = int(m["eok"] or 0) * 100_000_000 + int(m["man"]) * 10_000
    return f"{int(value):,}"


def _section_facts(text: str) -> list[tuple[int, dict[str, int]]]:
    """Per section (in page order): its first line, and the numbers, link targets and code names of
    its prose, each with the line where it first appears."""
    sections: list[tuple[int, dict[str, int]]] = []
    for part in scan(text, strict=False):
        if isinstance(part, Fence):
            continue
        if HEADING.match(part.text) or not sections:
            sections.append((part.line, {}))
        facts, raw = sections[-1][1], _COMMENT.sub(" ", part.text)
        for m in _LINK.finditer(_INLINE_CODE.sub(" ", raw)):
            facts.setdefault(f"link {m['target']}", part.line)
        for code in _INLINE_CODE.findall(raw):
            if _IDENTIFIER.match(code):
                facts.setdefault(f"code {code}", part.line)
    for line, sentence, _ in _sentences(text):
        facts = next(f for start, f in reversed(sections) if start <= line)
        sentence = _BIG.sub(_big_number, sentence)  # 10만, 1억 3800만, 138 million: as digits
        for m in _PROSE_NUMBER.finditer(sentence):
            if m["pct"] or "." in m["num"] or "," in m["num"]:
                facts.setdefault(f"number {m['num'].replace(',', '')}", line)
    return sections


def parity_problems(ko: Page, en: Page) -> list[Finding]:
    """Sections that carry different numbers, link targets or code names in the two languages,
    each reported at the Korean line of the first difference."""
    ko_sections, en_sections = _section_facts(ko.text), _section_facts(en.text)
    if len(ko_sections) != len(en_sections):
        return [ko.finding(1, f"prose: {len(ko_sections)} sections here, {len(en_sections)} in {en.path.name}")]
    problems = []
    for (ko_start, ko_facts), (en_start, en_facts) in zip(ko_sections, en_sections, strict=True):
        only_ko, only_en = ko_facts.keys() - en_facts.keys(), en_facts.keys() - ko_facts.keys()
        if not (only_ko or only_en):
            continue
        line = min((ko_facts[f] for f in only_ko), default=ko_start)
        en_line = min((en_facts[f] for f in only_en), default=en_start)
        words = [f"only in ko: {', '.join(sorted(only_ko))}"] if only_ko else []
        words += [f"only in en: {', '.join(sorted(only_en))}"] if only_en else []
        problems.append(ko.finding(line, f"prose differs from {en.path.name}:{en_line}: " + "; ".join(words)))
    return problems


def untranslated(page: Page) -> list[Finding]:
    """Lines of a Korean page whose prose holds an English sentence (six words or more in a row,
    outside code, math, links and parentheses)."""
    problems = []
    for line, raw in _prose_lines(page.text):
        prose = re.sub(r"\[([^\]]*)\]\([^)]*\)", " ", raw)  # link texts may name an English page
        prose = re.sub(r"\([^()]*\)", " ", _strip(prose))  # English terms in parentheses are the style
        prose = re.sub(r'"[^"]*"|“[^”]*”', " ", prose)  # quoted titles and messages
        match = _ENGLISH_RUN.search(prose)
        if match:
            problems.append(page.finding(line, f"prose: untranslated English in a Korean page: '{match[0].strip()}'"))
    return problems
