"""The labs: one Jupytext notebook per chapter and language (``docs/labs/<chapter>.<lang>.py``).

A lab is a "percent" script: ``# %%`` starts a code cell, ``# %% [markdown]`` a text cell. Jupytext
decides what the cells are (:func:`code_cells`, as a notebook shows them); :func:`lab_blocks` turns
its code cells into the harness's :class:`.parse.Block` with their line numbers in the file, so a
lab runs like a page (:mod:`.isolate`) and a failure points at ``docs/labs/<lab>.py:<line>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .parse import Block

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
