"""Sybil glue: turn :func:`parse_page` blocks into Sybil regions, each page run in a process of
its own (:mod:`.isolate`), its blocks in page order in one namespace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sybil import Document, Example, Region, Sybil

from .isolate import PageGone, shared_server
from .parse import ParseError, makes_figures, parse_page
from .run import where


def _evaluate_block(example: Example) -> str | None:
    try:
        return shared_server().run_block(example.parsed)
    except PageGone as gone:
        return f"{where(example.path, example.parsed.line)}: {gone}"


def _evaluate_figures(example: Example) -> str | None:
    try:
        return shared_server().check_figures()
    except PageGone as gone:
        return f"{where(example.path, 1)}: {gone}"


class MarkdownPageParser:
    """A Sybil parser over every executable construct of a page (see :mod:`.parse`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, document: Document) -> Iterable[Region]:
        try:
            blocks = parse_page(document.text)
        except ParseError as error:
            message = f"{where(document.path, error.line, self.root)}: {error.message}"
            offset = _line_offset(document.text, error.line)
            yield Region(offset, offset + 1, parsed=message, evaluator=lambda example: example.parsed)
            return
        for block in blocks:
            yield Region(block.start, block.end, parsed=block, evaluator=_evaluate_block)
        if makes_figures(blocks):
            end = len(document.text)
            yield Region(end, end, parsed=None, evaluator=_evaluate_figures)


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
