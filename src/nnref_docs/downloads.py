"""Readers take the code with them: downloads beside each page, and notes on blocks that need others.

What ``hooks/downloads.py`` adds to the site:

- A page with python blocks offers its code as ``<name>.<lang>.py`` (a script that runs alone)
  and ``<name>.<lang>.ipynb``, both made from the page's own blocks by :mod:`.export` with the
  harness's parser: the code the tests ran, in the same order, each page in a fresh process
  (``tests/toolkit/test_downloads.py`` checks what differs). See :func:`page_downloads`.
- A lab offers its notebook (``.ipynb``, converted from the jupytext source) and that source
  (:func:`lab_downloads`).
- Above a block that reads names earlier blocks define, a note names them, with a button
  (``docs/assets/javascripts/copy-upto.js``) that copies the page's script up to that block: from
  its first cell (``data-nnref-from``, the seed cell: the header that speaks of the whole file stays
  out) through the block's last line (``data-nnref-upto``).

Each download is a :class:`Download`; :func:`offer` writes it beside the built page and returns the
button for the page title (``page.nnref_downloads``, ``overrides/partials/actions.html``): one
mechanism for pages and labs.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path

from .export import page_code
from .parse import ParseError, parse_page
from .words import WORDS

log = logging.getLogger("mkdocs.hooks.downloads")

MAX_NAMES = 6
TEXT = WORDS["downloads"]  # nnref_docs.words
ICONS = {"script": "material/language-python", "notebook": "material/notebook-outline"}


@dataclass(frozen=True)
class Download:
    """One file offered next to the page title: its name, its content and its button's kind and title."""

    name: str
    content: str
    kind: str  # "script" or "notebook"
    title: str


def download_stem(src_uri: str) -> str:
    """``02-backprop/chain-rule.en.md`` -> ``02-backprop-chain-rule``; the home page -> ``home``."""
    parts = src_uri.split("/")
    parts[-1] = parts[-1].split(".")[0]
    if parts[-1] == "index":
        parts.pop()
    return "-".join(parts) or "home"


def offer(folder: Path, downloads: list[Download]) -> list[dict]:
    """Write each download into ``folder`` (the built page's) and return the buttons for the title."""
    for download in downloads:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / download.name).write_text(download.content, encoding="utf-8")
    return [{"href": d.name, "kind": d.kind, "title": d.title, "icon": ICONS[d.kind]} for d in downloads]


def uses_note(cell, script_name: str, first_line: int, words: dict) -> str:
    """The HTML note above a block that names what it takes from earlier blocks, with its copy button."""
    names = cell.uses if len(cell.uses) <= MAX_NAMES + 1 else cell.uses[:MAX_NAMES]
    shown = ", ".join(f"<code>{html.escape(name)}</code>" for name in names)
    if len(cell.uses) > MAX_NAMES + 1:
        shown += " " + words["more"].format(n=len(cell.uses) - MAX_NAMES)
    return (
        f'<div class="nnref-uses" data-nnref-script="{html.escape(script_name)}" data-nnref-upto="{cell.end}" '
        f'data-nnref-from="{first_line}" data-nnref-copied="{html.escape(words["copied"])}">'
        f'<span class="nnref-uses__names">{words["uses"]} {shown}</span> '
        f'<button type="button" class="nnref-uses__copy" title="{html.escape(words["copy_title"])}" hidden>'
        f"{words['copy']}</button></div>"
    )


def page_downloads(
    markdown: str, source: str, src_uri: str, lang: str, title: str | None, url: str
) -> tuple[str, list[Download]]:
    """A page's script and notebook, and its ``markdown`` with the notes above dependent blocks.

    The code comes from ``source``, the page's file (other hooks may have added lines to
    ``markdown``, and the script names page lines); the notes go into ``markdown``, above the same
    blocks. A page that does not parse is left alone: its tests report it with its line.
    """
    try:
        code = page_code(source, source=f"docs/{src_uri}", lang=lang, title=title, url=url)
        blocks = parse_page(markdown)
    except ParseError:
        return markdown, []
    if code is None:
        return markdown, []
    words = TEXT[lang]
    stem = f"{download_stem(src_uri)}.{lang}"
    downloads = [
        Download(f"{stem}.py", code.script, "script", words["script"]),
        Download(f"{stem}.ipynb", code.notebook(), "notebook", words["notebook"]),
    ]
    cells = code.block_cells()
    if [b.source for b in blocks] != [c.block.source for c in cells]:
        log.info("%s: another hook changed the code blocks; no notes above dependent blocks", src_uri)
        return markdown, downloads
    # notes above the blocks that need earlier ones, inserted from the end so offsets stay valid
    for cell, block in reversed(list(zip(cells, blocks, strict=True))):
        if not cell.uses or block.kind == "hidden":
            continue
        fence_line = markdown[block.start :]
        indent = fence_line[: len(fence_line) - len(fence_line.lstrip(" \t"))]
        note = uses_note(cell, f"{stem}.py", code.cells[0].start, words)
        markdown = markdown[: block.start] + f"\n{indent}{note}\n\n" + fence_line
    return markdown, downloads


def lab_downloads(source: Path, lang: str) -> list[Download]:
    """A lab (``labs/x.<lang>.py``, jupytext): its notebook (``.ipynb``) and its source (``.py``)."""
    import jupytext

    words = TEXT[lang]
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return [
        Download(source.stem + ".ipynb", jupytext.writes(notebook, fmt="ipynb"), "notebook", words["lab_notebook"]),
        Download(source.name, source.read_text(encoding="utf-8"), "script", words["lab_script"]),
    ]
