"""One finding of a check, worded the same way everywhere: ``docs/<page>.md:<line>: what is wrong``.

Every check of the toolkit (parse, run, figures, parity, links, glossary, prose, nav) returns
:class:`Finding` objects; ``str(finding)`` is the line a contributor reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT


def shown_path(path: Path | str, root: Path | str | None = None) -> str:
    """``path`` as a finding names it: relative to ``root`` (the repository root when ``None``), or
    as given when it lies outside ``root``; always with ``/``."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path(root or ROOT).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class Finding:
    """What is wrong (``message``, which may go on over several lines) and where: ``file`` as shown
    (:func:`shown_path`) and its ``line`` (from 1)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    @classmethod
    def at(cls, path: Path | str, line: int, message: str, root: Path | str | None = None) -> Finding:
        """The finding at ``line`` of the file ``path``, named relative to ``root`` (:func:`shown_path`)."""
        return cls(shown_path(path, root), line, message)
