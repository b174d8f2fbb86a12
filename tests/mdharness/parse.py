"""Find the executable blocks of a Markdown page.

A small line scanner (not a full CommonMark parser) that knows what the site's pages use:
fenced blocks at any indentation (admonitions, content tabs, lists), nested fences, and the
harness directives written as HTML comments outside fences.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compare import DEFAULT_TOLERANCE

PYTHON_LANGS = {"python", "py", "python3", "py3"}
DOCTEST_LANGS = {"pycon"}
OUTPUT_LANG = "text"

OPEN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
COMMENT_START = re.compile(r"^[ \t]*<!--")
DIRECTIVE = re.compile(r"^[ \t]*<!--\s*(?P<name>[A-Za-z][\w-]*)\s*:\s*(?P<args>.*?)\s*(?P<end>-->)?\s*$")
KNOWN_DIRECTIVES = {"invisible-code-block", "skip", "output"}
SKIP_ARGS = re.compile(r'^next\s+"(?P<reason>[^"]*\S[^"]*)"$')
OUTPUT_ARGS = re.compile(r'^(?:(?P<exact>exact)|tolerance\s+(?P<units>\d+)\s+"(?P<reason>[^"]*\S[^"]*)")$')


class ParseError(ValueError):
    """A page construct the harness refuses to guess about; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


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


def fence_language(info: str) -> str:
    """``'python title="a.py"'`` -> ``'python'``; ``'{.py .copy}'`` -> ``'py'``."""
    info = info.strip().lstrip("{").strip()
    first = re.split(r"[\s}]", info, maxsplit=1)[0] if info else ""
    return first.lstrip(".").lower()


def _dedent(lines: list[str], indent: str) -> str:
    out = []
    for text in lines:
        if text.startswith(indent):
            out.append(text[len(indent) :])
        else:
            out.append(text.lstrip(" \t"))
    return "".join(out)


def _is_python(lang: str) -> bool:
    return lang in PYTHON_LANGS or lang in DOCTEST_LANGS


def parse_page(text: str) -> list[Block]:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    blocks: list[Block] = []
    pending_skip: tuple[int, str] | None = None
    pending_output: tuple[int, int, str | None] | None = None  # (line, tolerance, reason)
    # (fence closing line index, block it closed) for pairing with a following text fence
    last_code: tuple[int, Block] | None = None
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip("\n")
        opened = OPEN_FENCE.match(raw)
        if opened:
            indent, fence, info = opened["indent"], opened["fence"], opened["info"]
            if fence[0] == "`" and "`" in info:
                i += 1  # inline code such as ```x``` in a paragraph, not a fence
                continue
            j = i + 1
            while j < len(lines):
                closing = re.match(r"^[ \t]*(`{3,}|~{3,})[ \t]*$", lines[j].rstrip("\n"))
                if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                    break
                j += 1
            if j == len(lines):
                raise ParseError(i + 1, f"the fence opened here ({fence}{info}) is never closed")
            body = _dedent(lines[i + 1 : j], indent)
            lang = fence_language(info)
            between = lines[last_code[0] + 1 : i] if last_code else None
            if lang == OUTPUT_LANG:
                if last_code is None or any(s.strip() for s in between):
                    raise ParseError(
                        i + 1,
                        "a ```text block is output the harness checks, so it must follow a python "
                        "block directly; use ```console or ```plain for text that is not output",
                    )
                code_block = last_code[1]
                code_block.expected = body
                code_block.expected_line = i + 1
                code_block.end = offsets[j + 1]
                last_code = None
            elif _is_python(lang):
                doctest = lang in DOCTEST_LANGS or body.lstrip().startswith(">>>")
                block = Block(
                    kind="doctest" if doctest else "code",
                    line=i + 1,
                    source=body,
                    source_line=i + 2,
                    start=offsets[i],
                    end=offsets[j + 1],
                    info=info,
                )
                if pending_skip is not None:
                    block.skip_reason = pending_skip[1]
                    pending_skip = None
                if pending_output is not None:
                    block.output_line, block.tolerance, block.tolerance_reason = pending_output
                    pending_output = None
                blocks.append(block)
                last_code = (j, block) if not doctest else None
            else:
                last_code = None
            i = j + 1
            continue

        if COMMENT_START.match(raw):
            directive = DIRECTIVE.match(raw)
            if directive and directive["name"] in KNOWN_DIRECTIVES:
                name, args = directive["name"], directive["args"]
                if name == "skip":
                    skip = SKIP_ARGS.match(args.removesuffix("-->").strip())
                    if not skip:
                        raise ParseError(i + 1, 'a skip needs a reason: <!-- skip: next "why" -->')
                    if pending_skip is not None:
                        raise ParseError(pending_skip[0], "this skip applies to no python block")
                    pending_skip = (i + 1, skip["reason"])
                    i += 1
                    continue
                if name == "output":
                    output = OUTPUT_ARGS.match(args.removesuffix("-->").strip())
                    if not output or not directive["end"]:
                        raise ParseError(
                            i + 1, 'write <!-- output: exact --> or <!-- output: tolerance 3 "why" --> on one line'
                        )
                    if pending_output is not None:
                        raise ParseError(pending_output[0], "this output directive applies to no python block")
                    units = 0 if output["exact"] else int(output["units"])
                    pending_output = (i + 1, units, output["reason"])
                    i += 1
                    continue
                if args.strip() != "python" or directive["end"]:
                    raise ParseError(i + 1, "write <!-- invisible-code-block: python, the code, -->")
                j = i + 1
                while j < len(lines) and not re.match(r"^[ \t]*-->\s*$", lines[j]):
                    j += 1
                if j == len(lines):
                    raise ParseError(i + 1, "this invisible-code-block is never closed with -->")
                indent = re.match(r"^[ \t]*", raw)[0]
                block = Block(
                    kind="hidden",
                    line=i + 1,
                    source=_dedent(lines[i + 1 : j], indent),
                    source_line=i + 2,
                    start=offsets[i],
                    end=offsets[j + 1],
                    info="invisible-code-block",
                )
                if pending_skip is not None:
                    block.skip_reason = pending_skip[1]
                    pending_skip = None
                blocks.append(block)
                last_code = None
                i = j + 1
                continue
            if directive and re.search(r"code|skip|invisible|output", directive["name"]):
                raise ParseError(i + 1, f"unknown harness directive '{directive['name']}'")
        i += 1

    if pending_skip is not None:
        raise ParseError(pending_skip[0], "this skip applies to no python block")
    if pending_output is not None:
        raise ParseError(pending_output[0], "this output directive applies to no python block")
    for block in blocks:
        if block.output_line is not None and block.kind == "code" and block.expected is None:
            raise ParseError(block.output_line, "this output directive's block has no ```text output to compare")
    return blocks
