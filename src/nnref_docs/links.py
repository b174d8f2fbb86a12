"""Links between pages, checked on the Markdown: the target page exists, the anchor is a heading.

Pages link to each other without the language (``[a](../04-cnn/vgg16.md#pretrained)``), and
MkDocs resolves ``vgg16.md`` to the page of the same language. A heading's id is the one written
on it (``## Update {#weight-update}``) or the slug of its text, made as ``mkdocs.yml``'s ``toc``
makes it (``pymdownx.slugs.slugify(case="lower")``). The strict build checks links too, on the
whole site; this check needs no build, so a contributor sees ``file:line`` in a second.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .fences import HEADING, text_lines
from .findings import Finding
from .parse import Page

LINK = re.compile(r"(?<!!)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXPLICIT_ID = re.compile(r"\{[^}]*#(?P<id>[\w-]+)[^}]*\}")


def _slugify(text: str) -> str:
    from pymdownx.slugs import slugify

    return slugify(case="lower")(text, "-")


def _plain(text: str) -> str:
    """Heading text as the toc extension sees it once rendered: no markup, no math delimiters."""
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", text)
    return re.sub(r"<[^>]+>", "", text)


def anchors(text: str) -> set[str]:
    """Every id a page's Markdown gives: headings (explicit or slugged) and ``{#id}`` attributes."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for part in text_lines(text):
        heading = HEADING.match(part.text)
        if heading:
            slug = heading["id"] or _slugify(_plain(heading["text"]))
            if not heading["id"]:  # the toc extension numbers repeated slugs: x, x_1, x_2
                n = counts.get(slug, 0)
                counts[slug] = n + 1
                slug = slug if n == 0 else f"{slug}_{n}"
            found.add(slug)
        found |= {m["id"] for m in EXPLICIT_ID.finditer(part.text)}
        found |= set(re.findall(r"""\bid=["']([^"']+)["']""", part.text))
    return found


def missing(candidates: list[Path], docs: Path) -> str:
    """What a link that finds no file lacks: a page or lab (``.md``, ``.py``) is the file of the
    reader's language, anything else (an image, a data file) the file as it is named."""
    wanted = candidates[0] if candidates[0].suffix in (".md", ".py") else candidates[-1]
    return f"no file {wanted.relative_to(docs).as_posix()}"


def link_problems(page: Page, docs: Path) -> list[Finding]:
    """Every link of one page (under ``docs``) whose page or anchor does not exist, as ``file:line``."""
    text, lang = page.text, page.lang
    here = page.path.relative_to(docs).parent.as_posix()
    problems = []
    own_anchors: set[str] | None = None
    for part in text_lines(text):
        line = re.sub(r"`[^`]*`", "", part.text)
        for match in LINK.finditer(line):
            target = match["target"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                continue  # another site, mailto:, or absolute (the strict build refuses those)
            linked, _, anchor = target.partition("#")
            if not linked:
                own_anchors = own_anchors if own_anchors is not None else anchors(text)
                if anchor and anchor not in own_anchors:
                    problems.append(page.finding(part.line, f"no heading #{anchor} on this page"))
                continue
            rel = posixpath.normpath(posixpath.join(here, linked))
            stem, dot, ext = rel.rpartition(".")
            # a page or lab of the reader's language (x.md -> x.ko.md), or a file as it is named
            candidates = [docs / f"{stem}.{lang}.{ext}", docs / rel] if dot else [docs / rel]
            found = next((c for c in candidates if c.exists()), None)
            if found is None:
                problems.append(page.finding(part.line, f"{target}: {missing(candidates, docs)}"))
            elif anchor and found.suffix == ".md" and anchor not in anchors(found.read_text(encoding="utf-8")):
                problems.append(page.finding(part.line, f"{target}: no heading #{anchor} in {found.name}"))
    return problems
