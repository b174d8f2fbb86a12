"""One finding of a check, worded the same way everywhere: ``docs/<page>.md:<line>: what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        path = Path(self.path)
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = path.as_posix()
        return f"{shown}:{self.line}: {self.message}"
