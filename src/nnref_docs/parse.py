"""Find the executable blocks of a Markdown page.

Fences come from the toolkit's one scanner (:mod:`.fences`: any indentation, nested fences);
the harness directives are HTML comments outside fences.

What it returns, in page order:

- ``code``: a python fence (``python``, ``py``, ``python3``, ``{.python}``, with attributes such
  as ``title="x.py"``); when a ``text`` fence follows it directly, that text is the output the
  code must print (``expected``).
- ``doctest``: a ``pycon`` fence, or a python fence whose first line starts with ``>>>``.
- ``hidden``: ``<!-- invisible-code-block: python ... -->``, setup the reader does not see.

``<!-- skip: next "reason" -->`` marks the next python block as skipped; the reason is required.
``<!-- output: exact -->`` compares the next block's output character for character;
``<!-- output: tolerance N "reason" -->`` lets its decimals differ by up to N units in the last
printed digit instead of one (see :mod:`.compare`); the reason is required.
Anything the scanner cannot place (a ``text`` fence that follows no python block, a skip with no
reason, an unknown directive, an unclosed fence) is a :class:`ParseError` with its line number.

A :class:`Page` is one file read once: its path, root, key, language, text, and its blocks, parsed
the first time they are asked for; each of its blocks points back at it (``block.page``), so a
finding about a block is :meth:`Page.finding` of the block's line.
"""

from __future__ import annotations

import ast
import doctest
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from .compare import DEFAULT_TOLERANCE
from .fences import Fence, ParseError, Text, dedent, fence_language, scan
from .findings import Finding

__all__ = ["Block", "Page", "ParseError", "fence_language", "makes_figures", "page_key", "page_language", "parse_page"]

PYTHON_LANGS = {"python", "py", "python3", "py3"}
DOCTEST_LANGS = {"pycon"}
OUTPUT_LANG = "text"

COMMENT_START = re.compile(r"^[ \t]*<!--")
DIRECTIVE = re.compile(r"^[ \t]*<!--\s*(?P<name>[A-Za-z][\w-]*)\s*:\s*(?P<args>.*?)\s*(?P<end>-->)?\s*$")
COMMENT_END = re.compile(r"^[ \t]*-->\s*$")
KNOWN_DIRECTIVES = {"invisible-code-block", "skip", "output"}
SKIP_ARGS = re.compile(r'^next\s+"(?P<reason>[^"]*\S[^"]*)"$')
OUTPUT_ARGS = re.compile(r'^(?:(?P<exact>exact)|tolerance\s+(?P<units>\d+)\s+"(?P<reason>[^"]*\S[^"]*)")$')
PAGE_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.(?P<ext>md|py)$")


def page_language(path: str | Path) -> str:
    """The language of a page or lab from its file name: ``x.en.md``/``x.en.py`` -> ``"en"``.

    The one place that decides it (pairs, hooks, stamps, downloads); a file without a language
    suffix belongs to the site's default language, Korean.
    """
    match = PAGE_NAME.match(Path(path).name)
    return match["lang"] if match else "ko"


def page_key(rel: str | Path) -> str:
    """What the two languages of a page share: ``02-backprop/chain-rule.ko.md`` -> ``02-backprop/chain-rule``."""
    rel = Path(rel).as_posix()
    match = PAGE_NAME.match(rel)
    return match["stem"] if match else rel.rsplit(".", 1)[0]


@dataclass
class Block:
    kind: str  # "code", "doctest" or "hidden"
    line: int  # 1-based line of the opening fence or directive
    source: str  # the code, de-indented
    source_line: int  # 1-based line of the code's first line
    start: int  # character offsets of the whole construct in the page
    end: int
    info: str = ""
    expected: str | None = None  # the text block that must equal what the code prints
    expected_line: int | None = None
    skip_reason: str | None = None
    tolerance: int = DEFAULT_TOLERANCE  # units in the last printed digit (see .compare); 0 = exact
    tolerance_reason: str | None = None
    output_line: int | None = None  # line of the output directive that set ``tolerance``
    page: Page | None = field(default=None, compare=False, repr=False)  # the page it was parsed from

    def as_dict(self) -> dict:
        """The block as plain data (what the page server sends its child), without its page."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "page"}


@dataclass(eq=False)
class Page:
    """One page (or lab) file, read once: ``path``, the ``root`` its findings are named from, and
    its ``text``; :attr:`blocks` parses it the first time it is read (a :class:`ParseError` then)."""

    path: Path
    root: Path
    text: str

    @classmethod
    def load(cls, path: Path | str, root: Path | str) -> Page:
        """Read the page at ``path`` (UTF-8); its findings name it relative to ``root``."""
        path = Path(path)
        return cls(path, Path(root), path.read_text(encoding="utf-8"))

    @property
    def key(self) -> str:
        """What its two languages share, from ``docs/`` under its root (else from its root):
        ``02-backprop/chain-rule``."""
        for base in (self.root / "docs", self.root):
            try:
                return page_key(self.path.resolve().relative_to(base.resolve()))
            except ValueError:
                continue
        return page_key(self.path.name)

    @property
    def lang(self) -> str:
        """Its language, from its file name (:func:`page_language`)."""
        return page_language(self.path)

    @cached_property
    def blocks(self) -> list[Block]:
        """Its executable blocks (:func:`parse_page`), parsed once, each knowing this page."""
        return parse_page(self.text, self)

    def finding(self, line: int, message: str) -> Finding:
        """A finding at ``line`` of this page, named relative to its root."""
        return Finding.at(self.path, line, message, self.root)


def makes_figures(blocks: list[Block]) -> bool:
    """Whether a page saves figures, which the harness then compares with those beside the page."""
    return any("savefig(" in block.source for block in blocks)


def parse_page(text: str, page: Page | None = None) -> list[Block]:
    """The executable blocks of a page, in page order (see the module's docstring); each block's
    ``page`` is ``page``."""
    blocks = _PageParser(text).parse()
    for block in blocks:
        block.page = page
    return blocks


class _PageParser:
    """One pass over a page: fences and directive comments, with what a directive still waits for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.offsets = [0]
        for line in self.lines:
            self.offsets.append(self.offsets[-1] + len(line))
        self.blocks: list[Block] = []
        self.pending_skip: tuple[int, str] | None = None  # (line, reason)
        self.pending_output: tuple[int, int, str | None] | None = None  # (line, tolerance, reason)
        self.last_code: tuple[int, Block] | None = None  # a code block's closing line, for its output

    def parse(self) -> list[Block]:
        parts = scan(self.text)
        for part in parts:
            if isinstance(part, Fence):
                self._fence(part)
            elif COMMENT_START.match(part.text):
                self._comment(part, parts)
        self._finish()
        return self.blocks

    # fences ------------------------------------------------------------------------------
    def _fence(self, fence: Fence) -> None:
        lang = fence.lang
        if lang == OUTPUT_LANG:
            self._output(fence)
        elif lang in PYTHON_LANGS or lang in DOCTEST_LANGS:
            doctest = lang in DOCTEST_LANGS or fence.body.lstrip().startswith(">>>")
            block = self._add(
                Block(
                    kind="doctest" if doctest else "code",
                    line=fence.line,
                    source=fence.body,
                    source_line=fence.line + 1,
                    start=self.offsets[fence.line - 1],
                    end=self.offsets[fence.end_line],
                    info=fence.info,
                )
            )
            self.last_code = (fence.end_line, block) if not doctest else None
        else:
            self.last_code = None

    def _output(self, fence: Fence) -> None:
        """A ``text`` fence: the output of the python block right above it, nothing else."""
        between = self.lines[self.last_code[0] : fence.line - 1] if self.last_code else None
        if self.last_code is None or any(s.strip() for s in between):
            raise ParseError(
                fence.line,
                "a ```text block is output the harness checks, so it must follow a python "
                "block directly; use ```console or ```plain for text that is not output",
            )
        block = self.last_code[1]
        block.expected = fence.body
        block.expected_line = fence.line
        block.end = self.offsets[fence.end_line]
        self.last_code = None

    def _add(self, block: Block) -> Block:
        """Append a block, giving it the skip or output directive written above it."""
        if self.pending_skip is not None:
            block.skip_reason = self.pending_skip[1]
            self.pending_skip = None
        if self.pending_output is not None and block.kind != "hidden":
            block.output_line, block.tolerance, block.tolerance_reason = self.pending_output
            self.pending_output = None
        self.blocks.append(block)
        return block

    # directives ----------------------------------------------------------------------------
    def _comment(self, first: Text, parts: Iterator[Text | Fence]) -> None:
        directive = DIRECTIVE.match(first.text)
        if not directive or directive["name"] not in KNOWN_DIRECTIVES:
            if directive and re.search(r"code|skip|invisible|output", directive["name"]):
                raise ParseError(first.line, f"unknown harness directive '{directive['name']}'")
            return
        name, args = directive["name"], directive["args"].removesuffix("-->").strip()
        if name == "skip":
            skip = SKIP_ARGS.match(args)
            if not skip:
                raise ParseError(first.line, 'a skip needs a reason: <!-- skip: next "why" -->')
            if self.pending_skip is not None:
                raise ParseError(self.pending_skip[0], "this skip applies to no python block")
            self.pending_skip = (first.line, skip["reason"])
        elif name == "output":
            output = OUTPUT_ARGS.match(args)
            if not output or not directive["end"]:
                raise ParseError(
                    first.line, 'write <!-- output: exact --> or <!-- output: tolerance 3 "why" --> on one line'
                )
            if self.pending_output is not None:
                raise ParseError(self.pending_output[0], "this output directive applies to no python block")
            units = 0 if output["exact"] else int(output["units"])
            self.pending_output = (first.line, units, output["reason"])
        else:
            self._hidden(first, args, bool(directive["end"]), parts)

    def _hidden(self, first: Text, args: str, closed: bool, parts: Iterator[Text | Fence]) -> None:
        """``<!-- invisible-code-block: python``, the code, then ``-->`` on a line of its own."""
        if args != "python" or closed:
            raise ParseError(first.line, "write <!-- invisible-code-block: python, the code, -->")
        for part in parts:
            if isinstance(part, Fence):
                raise ParseError(part.line, "a fence inside an invisible-code-block: close the block with --> first")
            if COMMENT_END.match(part.text):
                break
        else:
            raise ParseError(first.line, "this invisible-code-block is never closed with -->")
        indent = re.match(r"^[ \t]*", first.text)[0]
        self._add(
            Block(
                kind="hidden",
                line=first.line,
                source=dedent(self.lines[first.line : part.line - 1], indent),
                source_line=first.line + 1,
                start=self.offsets[first.line - 1],
                end=self.offsets[part.line],
                info="invisible-code-block",
            )
        )
        self.last_code = None

    def _finish(self) -> None:
        if self.pending_skip is not None:
            raise ParseError(self.pending_skip[0], "this skip applies to no python block")
        if self.pending_output is not None:
            raise ParseError(self.pending_output[0], "this output directive applies to no python block")
        for block in self.blocks:
            if block.output_line is not None and block.kind == "code" and block.expected is None:
                raise ParseError(block.output_line, "this output directive's block has no ```text output to compare")


def _shows_value(source: str) -> bool:
    """A REPL line whose value the REPL would print (an expression that is not a print() call)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    value = tree.body[0].value
    return not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print")


def doctest_as_code(source: str, *, print_values: bool = True) -> tuple[str, str]:
    """A ``>>>`` session as plain code (one line per ``>>>``/``...`` line), and the output it prints
    (the session's expected output). With ``print_values``, a line whose value the session shows
    becomes ``print(repr(line))``, so that run as a script it prints what the session shows;
    without, the code is the session's lines as typed (what the two languages must share).
    A malformed session is doctest's :class:`ValueError`."""
    code, wants = [], []
    for example in doctest.DocTestParser().get_examples(source):
        line = example.source.rstrip("\n")
        if print_values and example.want and _shows_value(line):
            line = f"print(repr({line}))"
        code.append(line + "\n")
        wants.append(example.want)
    return "".join(code), "".join(wants)
