"""Sybil glue: turn a :class:`~.parse.Page`'s blocks into Sybil regions, each page run in a process of
its own (:mod:`.pageserver`), its blocks in page order in one namespace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sybil import Document, Example, Region, Sybil

from .pageserver import PageGone, shared_server
from .parse import Page, ParseError, makes_figures


def _evaluate_block(example: Example) -> str | None:
    """Run one block on the page server: ``None`` when it passes, else its finding's text."""
    block = example.parsed
    try:
        found = shared_server().run_block(block)
    except PageGone as gone:
        found = block.page.finding(block.line, str(gone))
    return None if found is None else str(found)


def _evaluate_figures(example: Example) -> str | None:
    """Compare the page's figures: ``None`` when they show the same, else the findings' text."""
    try:
        found = shared_server().check_figures()
    except PageGone as gone:
        found = [example.parsed.finding(1, str(gone))]
    return "\n".join(str(f) for f in found) or None


class MarkdownPageParser:
    """A Sybil parser over every executable construct of a page (see :mod:`.parse`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, document: Document) -> Iterable[Region]:
        page = Page(Path(document.path), self.root, document.text)
        try:
            blocks = page.blocks
        except ParseError as error:
            message = str(page.finding(error.line, error.message))
            offset = _line_offset(document.text, error.line)
            yield Region(offset, offset + 1, parsed=message, evaluator=lambda example: example.parsed)
            return
        for block in blocks:
            yield Region(block.start, block.end, parsed=block, evaluator=_evaluate_block)
        if makes_figures(blocks):
            end = len(document.text)
            yield Region(end, end, parsed=page, evaluator=_evaluate_figures)


def _line_offset(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def make_sybil(root: Path, path: str = "docs", patterns: tuple[str, ...] = ("*.md",)) -> Sybil:
    def setup(namespace: dict) -> None:
        shared_server().open(Path(namespace["__file__"]), root)

    def teardown(namespace: dict) -> None:
        shared_server().finish()

    return Sybil(
        parsers=[MarkdownPageParser(root)],
        patterns=list(patterns),
        path=str(root / path),
        setup=setup,
        teardown=teardown,
        document_types={".md": _PageDocument},
    )


class _PageDocument(Document):
    """A Markdown page whose namespace knows its own path before setup runs."""

    @classmethod
    def parse(cls, path: str, *parsers, encoding: str = "utf-8") -> Document:
        document = super().parse(path, *parsers, encoding=encoding)
        document.namespace["__file__"] = path
        return document
