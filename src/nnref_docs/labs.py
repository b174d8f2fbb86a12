"""The labs: one Jupytext notebook per chapter and language (``docs/labs/<chapter>.<lang>.py``).

A lab is a "percent" script: ``# %%`` starts a code cell, ``# %% [markdown]`` a text cell. Jupytext
decides what the cells are (:func:`code_cells`, as a notebook shows them); :func:`lab_blocks` turns
its code cells into the harness's :class:`.parse.Block` with their line numbers in the file, so a
lab runs like a page (:mod:`.pageserver`) and a failure points at ``docs/labs/<lab>.py:<line>``.

:func:`run_lab` is that run as the test of a lab does it, with what each cell printed; the record
(:mod:`.stamps`) keeps it, and :func:`lab_page` shows it under the cells of the lab's built page,
with the lab's "verified" stamp. The build never runs a lab: it only reads the record.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
from pathlib import Path

from .findings import Finding
from .parse import Block
from .stamps import LAB_RUN, TEXT, digest, lab_printed, stamp, stamp_html

CELL = re.compile(r"^# %%(?P<rest>.*)$")


def code_cells(path: Path) -> list[str]:
    """The source of every code cell, as Jupyter shows it."""
    import jupytext

    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def lab_blocks(path: Path) -> list[Block]:
    """Every code cell as a block, in order; ``line`` is the cell's ``# %%`` line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    headers = [n for n, text in enumerate(lines, start=1) if (m := CELL.match(text)) and "[markdown]" not in m["rest"]]
    sources = code_cells(path)
    if len(headers) != len(sources):
        raise ValueError(f"{path}: {len(sources)} code cells, but {len(headers)} '# %%' code-cell lines")
    return [
        Block(kind="code", line=line, source=source + "\n", source_line=line + 1, start=0, end=0, info="lab cell")
        for line, source in zip(headers, sources, strict=True)
    ]


def draws_figures(blocks: list[Block]) -> bool:
    """Whether a lab draws or saves figures, which its page cannot show (the record keeps printed text)."""
    return any("matplotlib" in block.source or "savefig(" in block.source for block in blocks)


@dataclasses.dataclass
class LabRun:
    lab: str  # the lab's path from the repository root, as the record names it: docs/labs/x.en.py
    source: str  # the digest of the source that ran (stamps.digest)
    printed: list[str | None]  # per code cell: what it printed; None if it failed or was skipped
    found: list[Finding]  # the failures, each worded file:line: message
    ran: int
    skipped: int

    def record(self) -> dict:
        """The run as the record takes it (:meth:`nnref_docs.stamps.Recorder.add_lab`), plain JSON."""
        return {
            "lab": self.lab,
            "source": self.source,
            "printed": self.printed,
            "ran": self.ran,
            "skipped": self.skipped,
            "failed": len(self.found),
        }

    def user_property(self) -> tuple[str, str]:
        """The run as a lab's test reports it to the recorder (a pytest user property: it travels
        from an xdist worker with the report; JSON, as the junit report shows it)."""
        return LAB_RUN, json.dumps(self.record(), ensure_ascii=False)


def run_lab(path: Path, root: Path, server=None) -> LabRun:
    """Run a lab top to bottom in a fresh process of ``server`` (this process's page server by
    default), as ``tests/toolkit/test_labs.py`` does, keeping what each cell printed."""
    from .pageserver import shared_server

    path = Path(path)
    source = digest(path.read_bytes())
    blocks = lab_blocks(path)
    printed: list[str | None] = []
    found, ran, skipped = (server or shared_server()).run_page(path, root, blocks, printed)
    try:
        name = path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    return LabRun(name, source, printed, found, ran, skipped)


# nbconvert's code cell (mkdocs-jupyter wraps each in a second one), its input, and any div tag
_CODE_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell\b')
_INPUT = re.compile(r'<div class="jp-Cell-inputWrapper\b')
_DIV = re.compile(r"<div\b|</div>")
# styled as a page's output block, with a caption of its own (nnref.css): a page's output is
# checked against the text under its block, a lab's is only shown. Search skips it, as the code
# (nnref_docs.search leaves every .highlight block out).
OUTPUT = '<div class="language-text highlight nnref-lab-output"><pre><span></span><code>{text}</code></pre></div>\n'


def _end_of_div(html: str, start: int) -> int:
    """Where the ``<div`` at ``start`` ends: just after its ``</div>``."""
    depth = 0
    for tag in _DIV.finditer(html, start):
        depth += 1 if tag[0] == "<div" else -1
        if depth == 0:
            return tag.end()
    raise ValueError(f"the <div> at offset {start} is never closed")


def with_outputs(html: str, printed: list[str | None]) -> str | None:
    """The lab's rendered page with what each code cell printed under its input; ``None`` if the page
    does not have one code cell per entry of ``printed`` (then it shows none)."""
    inserts = []
    cells = at = 0
    while cell := _CODE_CELL.search(html, at):
        try:
            at = _end_of_div(html, cell.start())
            code = _INPUT.search(html, cell.start(), at)
            if code is None:
                return None
            if cells < len(printed) and printed[cells]:
                text = html_lib.escape(printed[cells].rstrip("\n"), quote=False)
                inserts.append((_end_of_div(html, code.start()), OUTPUT.format(text=text)))
        except ValueError:  # not the markup this expects: no outputs rather than a broken page
            return None
        cells += 1
    if cells != len(printed):
        return None
    for where, block in reversed(inserts):
        html = html[:where] + block + html[where:]
    return html


def lab_page(html: str, root: Path, lab: str, source: bytes, lang: str, record: dict) -> str:
    """A lab's built page: its cells' outputs from the record when the record is of this very source
    and the run passed, and its stamp at the end, as on every page. ``lab`` is the record's name of
    the lab (``docs/labs/x.en.py``), ``record`` the record's entries (:func:`.stamps.read_record`)."""
    entry = record.get(lab)
    kind, text = stamp(entry, lang, True, source, lab=True)
    printed = lab_printed(root, lab, source) if kind == "success" else None  # a passing run of this source
    shown = with_outputs(html, printed) if printed is not None else None
    if shown is not None:
        html = shown
        text += TEXT[lang]["lab_outputs"]
    return html + stamp_html(kind, text)
