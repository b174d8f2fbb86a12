"""The site's pages as pairs of languages, and the comparison of their code."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from .parse import Block, parse_page
from .problems import Problem

LANGS = ("ko", "en")
# Python 3.12 splits f-strings into several tokens; the text parts are masked, the {expressions} kept
STRINGISH = {tokenize.STRING} | {
    getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)
}
PAGE_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.(?P<ext>md|py)$")


def page_language(path: str | Path) -> str:
    """The language of a page or lab from its file name: ``x.en.md``/``x.en.py`` -> ``"en"``.

    The one place that decides it (pairs, hooks, stamps, downloads); a file without a language
    suffix belongs to the site's default language, Korean.
    """
    match = PAGE_NAME.match(Path(path).name)
    return match["lang"] if match else "ko"


def page_key(rel: str | Path) -> str:
    """What the two languages of a page share: ``02-backprop/chain-rule.ko.md`` -> ``02-backprop/chain-rule``."""
    rel = Path(rel).as_posix()
    match = PAGE_NAME.match(rel)
    return match["stem"] if match else rel.rsplit(".", 1)[0]


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
    out = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.sub(r"\s+", " ", source)
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            continue
        if tok.type in STRINGISH:
            if not out or out[-1] != '"…"':
                out.append('"…"')
        elif tok.type == tokenize.NEWLINE:
            out.append("\n")
        else:
            out.append(tok.string)
    return " ".join(out).replace(" \n ", "\n").strip()


def doctest_code(source: str) -> str:
    """Only the ``>>>``/``...`` lines of a doctest; expected output may be translated."""
    lines = [ln.strip()[4:] for ln in source.splitlines() if ln.strip().startswith((">>>", "..."))]
    return "\n".join(lines)


def comparable(block: Block) -> tuple[str, str]:
    code = doctest_code(block.source) if block.kind == "doctest" else block.source
    return block.kind, mask_code(code)


def code_blocks(path: Path) -> list[Block]:
    return parse_page(path.read_text(encoding="utf-8"))


def first_difference(ko: str, en: str) -> str:
    """The first masked line that differs, as ``ko: ... / en: ...``."""
    for a, b in zip(ko.splitlines() + [""], en.splitlines() + [""], strict=False):
        if a != b:
            return f"ko: {a or '(nothing)'!r} / en: {b or '(nothing)'!r}"
    return "(same lines, different layout)"


def parity_problems(ko: Path, en: Path) -> list[Problem]:
    """Where the two languages of a page stop running the same code (comments and strings aside)."""
    ko_blocks, en_blocks = code_blocks(ko), code_blocks(en)
    problems = []
    for a, b in zip(ko_blocks, en_blocks, strict=False):
        if comparable(a) != comparable(b):
            difference = first_difference(comparable(a)[1], comparable(b)[1])
            problems.append(
                Problem(
                    en,
                    b.line,
                    f"the code differs from {ko.name} line {a.line} (beyond comments and strings): {difference}",
                )
            )
            break  # one at a time: later blocks are usually shifted by the first difference
    if len(ko_blocks) != len(en_blocks):
        problems.append(Problem(en, 1, f"{len(en_blocks)} python blocks here, {len(ko_blocks)} in {ko.name}"))
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
