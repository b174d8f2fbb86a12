"""Sybil glue: turn :func:`parse_page` blocks into Sybil regions, one namespace per page."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sybil import Document, Example, Region, Sybil

from .parse import ParseError, parse_page
from .run import PageRun, where

_RUNS: dict[str, PageRun] = {}


def _page_run(example: Example) -> PageRun:
    return _RUNS[example.path]


def _evaluate_block(example: Example) -> str | None:
    return _page_run(example).run_block(example.parsed)


def _evaluate_figures(example: Example) -> str | None:
    return _page_run(example).check_figures()


class MarkdownPageParser:
    """A Sybil parser over every executable construct of a page (see :mod:`.parse`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, document: Document) -> Iterable[Region]:
        _RUNS[document.path] = PageRun(Path(document.path), self.root)
        try:
            blocks = parse_page(document.text)
        except ParseError as error:
            message = f"{where(document.path, error.line, self.root)}: {error.message}"
            offset = _line_offset(document.text, error.line)
            yield Region(offset, offset + 1, parsed=message, evaluator=lambda example: example.parsed)
            return
        for block in blocks:
            yield Region(block.start, block.end, parsed=block, evaluator=_evaluate_block)
        if any("savefig(" in block.source for block in blocks):
            end = len(document.text)
            yield Region(end, end, parsed=None, evaluator=_evaluate_figures)


def _line_offset(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def make_sybil(root: Path, path: str = "docs", patterns: tuple[str, ...] = ("*.md",)) -> Sybil:
    def setup(namespace: dict) -> None:
        _RUNS[namespace["__file__"]].setup(namespace)

    def teardown(namespace: dict) -> None:
        _RUNS[namespace["__file__"]].teardown(namespace)

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
