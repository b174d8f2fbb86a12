"""The errata page, made from the erratum boxes on the pages themselves.

Every ``!!! erratum "title"`` box lives in the section that verifies the corrected value; that
section's heading carries an explicit id (``## Update {#weight-update}``). The errata page of each
language holds the marker ``<!-- errata -->``, which ``hooks/errata.py`` replaces with
:func:`render` of every box of that language, grouped by chapter, each linking back to its
section. One source of truth: a box added to a page appears on the errata page without more work.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .fences import HEADING, text_lines
from .pairs import page_key
from .words import WORDS

MARKER = "<!-- errata -->"
BOX = re.compile(r'^(?P<indent>[ \t]*)[!?]{3}\+?[ \t]+erratum[ \t]+"(?P<title>[^"]+)"[ \t]*$')
SEED = re.compile(r"\bseed\s*(00[0-4])", re.IGNORECASE)


@dataclass
class Erratum:
    page: str  # docs-relative path without the language suffix, e.g. 02-backprop/worked-example.md
    line: int
    title: str
    body: str
    anchor: str | None
    section: str
    page_title: str
    seeds: list[str]


def find_errata(path: Path, docs: Path) -> list[Erratum]:
    """Every erratum box of one page, with the nearest heading above it."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    page = page_key(path.relative_to(docs)) + ".md"
    page_title, heading, anchor = "", "", None
    found = []
    for part in text_lines(text):
        i, line = part.line - 1, part.text
        head = HEADING.match(line)
        if head:
            heading, anchor = head["text"], head["id"]
            if head["hashes"] == "#" and not page_title:
                page_title = head["text"]
            continue
        box = BOX.match(line)
        if not box:
            continue
        indent = len(box["indent"]) + 4
        body = []
        for follow in lines[i + 1 :]:
            if follow.strip() and len(follow) - len(follow.lstrip()) < indent:
                break
            body.append(follow[indent:] if follow.strip() else "")
        text = "\n".join(body).strip()
        found.append(
            Erratum(page, i + 1, box["title"], text, anchor, heading, page_title, sorted(set(SEED.findall(text))))
        )
    return found


def gather(docs: Path, lang: str) -> list[Erratum]:
    errata = []
    for path in sorted(docs.rglob(f"*.{lang}.md")):
        if path.name.startswith("errata.") or path.name.startswith("contributing."):
            continue
        errata.extend(find_errata(path, docs))
    return errata


def rebase_links(body: str, page: str) -> str:
    """Links in a box are relative to its page; on the errata page (docs root) they need the page's folder."""
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""

    def fix(match):
        target = match.group(1)
        if re.match(r"^([a-z]+:|/)", target):
            return match.group(0)
        if target.startswith("#"):
            return f"]({page}{target})"
        return f"]({posixpath.normpath(folder + target)})"

    return re.sub(r"\]\(([^)\s]+)\)", fix, body)


def chapter_title(docs: Path, chapter: str, lang: str) -> str:
    index = docs / chapter / f"index.{lang}.md"
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines():
            head = HEADING.match(line)
            if head and head["hashes"] == "#":
                return head["text"]
    return chapter


def render(errata: list[Erratum], lang: str, docs: Path) -> str:
    words = WORDS["errata"][lang]
    out = [words["count"].format(n=len(errata)), ""]
    chapter = None
    for e in errata:
        this_chapter = e.page.split("/")[0]
        if this_chapter != chapter:
            chapter = this_chapter
            out += [f"## {chapter_title(docs, this_chapter, lang)} {{#{this_chapter}}}", ""]
        link = f"{e.page}#{e.anchor}" if e.anchor else e.page
        seeds = ", ".join(f"seed {s}" for s in e.seeds) or "—"
        title = re.sub(r"^(원본 노트 오류|Seed erratum)\s*:\s*", "", e.title)
        out += [
            f'!!! erratum "{title}"',
            "",
            *("    " + line if line else "" for line in rebase_links(e.body, e.page).splitlines()),
            "",
            f"    **{words['seed']}:** {seeds} · **{words['section']}:** [{e.page_title} › {e.section}]({link})",
            "",
        ]
    return "\n".join(out)
