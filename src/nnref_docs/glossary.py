"""The glossary: one YAML file (docs/glossary.yml) makes the glossary pages, the tooltips and the
spelling check.

- ``<!-- glossary -->`` on ``glossary.<lang>.md`` becomes :func:`table` of every term.
- On every other page, :func:`add_tooltips` wraps the first use of each term in running text in
  ``<abbr title="…">``, so that hovering shows the other language and the definition. Korean terms
  are matched as word prefixes (particles attach: 역전파를, 역전파는), English terms as whole words.
  Code, links, headings, math and diagrams are left alone.
- :func:`avoided_terms` finds, in a Korean page's running text, the spellings an entry lists under
  ``avoid`` (그래디언트 for 기울기): one term for one concept across the site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .fences import uncommented
from .words import WORDS

MARKER = "<!-- glossary -->"
SKIP_TAGS = {
    "code",
    "pre",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "abbr",
    "script",
    "style",
    "svg",
    "button",
    "label",
    "title",
    "summary",
}
SKIP_CLASSES = (
    "arithmatex",
    "nnref-mermaid",
    "katex",
    "md-nav",
    "md-header",
    "md-footer",
    "md-search",
    "md-sidebar",
    "md-tabs",
    "headerlink",
    "jupyter-wrapper",
)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "param", "track"}


FIELDS = {"ko", "en", "ko_def", "en_def", "avoid"}


@lru_cache(maxsize=1)
def load(path: str) -> tuple[dict, ...]:
    """The glossary's entries. An entry with a field other than :data:`FIELDS` is refused: in a
    YAML flow mapping (``{ko: ..., ko_def: ...}``) an unquoted comma ends the value, and the rest
    of the definition silently became a key of its own."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for entry in entries:
        if unknown := set(entry) - FIELDS:
            raise ValueError(
                f"{path}: the entry {entry.get('ko')!r} has unknown fields {sorted(unknown)}; "
                "quote a value that holds a comma"
            )
    return tuple(entries)


def plain_en(term: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", term)


def table(entries, lang: str) -> str:
    if lang == "ko":
        rows = sorted(entries, key=lambda e: e["ko"])
        head = WORDS["glossary"]["ko"]["head"]
        body = [f"| **{e['ko']}** {{#{anchor(e)}}} | {e['en']} | {e['ko_def']} |" for e in rows]
    else:
        rows = sorted(entries, key=lambda e: e["en"].lower())
        head = WORDS["glossary"]["en"]["head"]
        body = [f"| **{e['en']}** | {e['ko']} | {e['en_def']} |" for e in rows]
    return "\n".join([head, *body])


def anchor(entry) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain_en(entry["en"]).lower()).strip("-")


def _pattern(entries, lang: str):
    terms = []
    for e in entries:
        term = e["ko"] if lang == "ko" else plain_en(e["en"])
        tip = f"{e['en']}: {e['ko_def']}" if lang == "ko" else f"{e['ko']}: {e['en_def']}"
        terms.append((term, tip))
    terms.sort(key=lambda t: -len(t[0]))  # longest first: 합성곱 신경망 before 합성곱
    if lang == "ko":
        regex = "|".join(re.escape(t) for t, _ in terms)
    else:
        regex = r"\b(?:" + "|".join(re.escape(t) for t, _ in terms) + r")s?\b"
    return re.compile(regex, 0 if lang == "ko" else re.IGNORECASE), {t.lower(): tip for t, tip in terms}


def add_tooltips(content: str, entries, lang: str) -> str:
    pattern, tips = _pattern(entries, lang)
    used: set[str] = set()
    out, pos, skip_depth, stack = [], 0, 0, []

    def replace(text: str) -> str:
        def one(match):
            word = match.group(0)
            key = word.lower()
            if key not in tips and key.endswith("s"):
                key = key[:-1]  # plurals: gradients -> gradient
            if key not in tips or key in used:
                return word
            used.add(key)
            return f'<abbr title="{html.escape(tips[key], quote=True)}">{word}</abbr>'

        return pattern.sub(one, text)

    for tag in TAG.finditer(content):
        text = content[pos : tag.start()]
        out.append(text if skip_depth else replace(text))
        closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name not in VOID and not attrs.rstrip().endswith("/"):
            if closing:
                while stack:
                    top_name, top_skip = stack.pop()
                    skip_depth -= top_skip
                    if top_name == name:
                        break
            else:
                skips = name in SKIP_TAGS or any(c in attrs for c in SKIP_CLASSES)
                stack.append((name, int(skips)))
                skip_depth += int(skips)
        out.append(tag.group(0))
        pos = tag.end()
    tail = content[pos:]
    out.append(tail if skip_depth else replace(tail))
    return "".join(out)


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of running text: no fences, inline code, comments, math or link targets."""
    for part, line in uncommented(text):
        number = part.line
        if line is None:
            continue
        line = re.sub(r"`[^`]*`", "", line)
        line = re.sub(r"\$[^$]*\$", "", line)
        line = re.sub(r"\]\([^)]*\)", "]", line)
        yield number, line


@dataclass(frozen=True)
class Variant:
    line: int
    found: str  # the spelling the page used
    term: str  # the glossary's spelling


def avoided_terms(text: str, entries) -> list[Variant]:
    """Every use, in a Korean page's running text, of a spelling the glossary says to avoid."""
    return [
        Variant(number, variant, entry["ko"])
        for number, line in prose_lines(text)
        for entry in entries
        for variant in entry["avoid"]
        if variant in line
    ]
