"""The site's pages as pairs of languages, and the comparison of their code."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from .findings import Finding
from .parse import PAGE_NAME as PAGE_NAME
from .parse import Block, Page, doctest_as_code
from .parse import page_key as page_key
from .parse import page_language as page_language

LANGS = ("ko", "en")
# Python 3.12 splits f-strings into several tokens; the text parts are masked, the {expressions} kept
STRINGISH = {tokenize.STRING} | {
    getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)
}


def page_pairs(docs: Path, ext: str = "md") -> dict[str, dict[str, Path]]:
    """``{"02-backprop/chain-rule": {"ko": Path, "en": Path}}``; a file without a language suffix
    is listed under the language ``"?"``."""
    pairs: dict[str, dict[str, Path]] = {}
    for path in sorted(docs.rglob(f"*.{ext}")):
        rel = path.relative_to(docs)
        if "assets" in rel.parts:
            continue
        lang = page_language(path) if PAGE_NAME.match(path.name) else "?"
        pairs.setdefault(page_key(rel), {})[lang] = path
    return pairs


def mask_code(source: str) -> str:
    """The code with comments dropped and every string literal replaced by ``"…"``.

    What remains must be equal in the two languages of a page.
    """
    lines = masked_lines(source)
    if lines is None:
        return re.sub(r"\s+", " ", source)
    return "\n".join(text for _, text in lines).strip()


def masked_lines(source: str) -> list[tuple[int, str]] | None:
    """:func:`mask_code`'s text one logical line at a time, each with the line of ``source`` (from 1)
    where it starts; ``None`` when the code does not tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    lines: list[tuple[int, str]] = []
    out: list[str] = []
    start = 0
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.NEWLINE:
            lines.append((start, " ".join(out)))
            out = []
            continue
        if not out:
            start = tok.start[0]
        if tok.type in STRINGISH:
            if not out or out[-1] != '"…"':
                out.append('"…"')
        else:
            out.append(tok.string)
    if out:
        lines.append((start, " ".join(out)))
    return lines


def doctest_code(source: str) -> str:
    """Only the ``>>>``/``...`` lines of a doctest, as typed (expected output may be translated);
    a malformed session, which the run reports, has no code to compare."""
    try:
        return doctest_as_code(source, print_values=False)[0]
    except ValueError:
        return ""


def comparable(block: Block) -> tuple[str, str]:
    code = doctest_code(block.source) if block.kind == "doctest" else block.source
    return block.kind, mask_code(code)


def first_difference(ko: str, en: str) -> str:
    """The first masked line that differs, as ``ko: ... / en: ...``."""
    for a, b in zip(ko.splitlines() + [""], en.splitlines() + [""], strict=False):
        if a != b:
            return f"ko: {a or '(nothing)'!r} / en: {b or '(nothing)'!r}"
    return "(same lines, different layout)"


def _page_lines(block: Block) -> list[tuple[int, str]] | None:
    """The block's code as compared (masked, logical lines), each with its line on the page."""
    rows = block.source.splitlines()
    if block.kind == "doctest":  # the compared code is the >>>/... lines only: map back to them
        prompts = [n for n, row in enumerate(rows, 1) if row.strip().startswith((">>>", "..."))]
        lines = masked_lines(doctest_code(block.source))
        if lines is None:
            return None
        lines = [(prompts[n - 1], text) for n, text in lines]
    else:
        lines = masked_lines(block.source)
        if lines is None:
            return None
    return [(block.source_line + n - 1, text) for n, text in lines]


def _written(block: Block, lines: list[tuple[int, str]], index: int) -> tuple[int, str]:
    """The ``index``-th compared line of ``block`` as written, with its line on the page; past the
    block's end, the line after its code and ``(nothing)``."""
    if index >= len(lines):
        return block.source_line + len(block.source.splitlines()), "(nothing)"
    line = lines[index][0]
    return line, block.source.splitlines()[line - block.source_line].strip()


def differing_line(ko: Block, en: Block) -> tuple[int, int, str]:
    """Where two blocks that differ (:func:`comparable`) first differ: the line on each page, and
    those two lines of code as written, on lines of their own below the finding."""
    a, b = _page_lines(ko), _page_lines(en)
    if a is None or b is None:  # code that does not tokenize: the fences, and the masked difference
        return ko.line, en.line, " " + first_difference(comparable(ko)[1], comparable(en)[1])
    index = next(
        (i for i in range(max(len(a), len(b))) if i >= len(a) or i >= len(b) or a[i][1] != b[i][1]),
        None,
    )
    if index is None:
        return ko.line, en.line, " (the same lines, laid out otherwise)"
    (ko_line, ko_code), (en_line, en_code) = _written(ko, a, index), _written(en, b, index)
    return ko_line, en_line, f"\n  ko: {ko_code}\n  en: {en_code}"


def parity_problems(ko: Page, en: Page) -> list[Finding]:
    """Where the two languages of a page stop running the same code (comments and strings aside):
    the first differing line of the first block that differs, with both lines as written, on the
    English page."""
    ko_blocks, en_blocks = ko.blocks, en.blocks
    problems = []
    for a, b in zip(ko_blocks, en_blocks, strict=False):
        if comparable(a) != comparable(b):
            ko_line, en_line, difference = differing_line(a, b)
            message = f"the code differs from {ko.path.name}:{ko_line} (beyond comments and strings):{difference}"
            problems.append(en.finding(en_line, message))
            break  # one at a time: later blocks are usually shifted by the first difference
    if len(ko_blocks) != len(en_blocks):
        problems.append(en.finding(1, f"{len(en_blocks)} python blocks here, {len(ko_blocks)} in {ko.path.name}"))
    return problems


def nav_pages(mkdocs_yml: Path) -> set[str]:
    """Every page the site's navigation lists (``01-foundations/mlp.md``)."""
    from .sitebuild import mkdocs_config

    config = mkdocs_config(mkdocs_yml)
    found: set[str] = set()

    def walk(node):
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            for child in node.values():
                walk(child)

    walk(config.get("nav", []))
    return found
