"""Compare what a block printed with the output the page shows, forgiving floating-point noise only.

The rule, the same for every page and every place that checks printed output:

- Words, punctuation, spacing inside a line, integers (counts, shapes, epochs) and the number of
  lines must match exactly.
- A number with a fractional part or an exponent (``0.1255``, ``-3.1e-05``) matches when it differs
  from the page's number by at most ``tolerance`` units in the page's last printed digit
  (``tolerance=1``: ``-0.0041`` accepts ``-0.0040`` and ``-0.0042``, and ``0.992`` never matches
  ``1.000``). The printed number must be written the same way: as many decimals, the same
  notation.
- ``tolerance=0`` makes a block exact. A page widens or tightens it for one block with a directive
  (see :mod:`.parse`); widening needs a reason.

Trailing white space on each line and blank lines at either end never count.
"""

from __future__ import annotations

import difflib
import doctest
import re
from decimal import Decimal

DEFAULT_TOLERANCE = 1

# a number not glued to a word: "w5", "conv2d" and "3x3" keep their digits as text
NUMBER = re.compile(r"(?<![\w.])(?P<num>[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)(?![\w.]*\w)")


def normalize_output(text: str) -> str:
    """Trailing white space on each line and blank lines at either end do not count."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _split(line: str) -> list[str]:
    """Alternating text and number pieces: ``[text, num, text, num, ..., text]``."""
    pieces: list[str] = []
    last = 0
    for match in NUMBER.finditer(line):
        pieces.append(line[last : match.start()])
        pieces.append(match["num"])
        last = match.end()
    pieces.append(line[last:])
    return pieces


def _is_fractional(number: str) -> bool:
    return "." in number or "e" in number.lower()


def _shape(number: str) -> tuple[int, bool]:
    """How a number is written: decimals in the mantissa and whether it has an exponent."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else -1
    return decimals, bool(exponent)


def last_digit_unit(number: str) -> Decimal:
    """The value of one unit in the last printed digit: ``0.0041`` -> 0.0001, ``1.4e-14`` -> 1e-15."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return Decimal(1).scaleb(-decimals + (int(exponent) if exponent else 0))


def numbers_match(expected: str, actual: str, tolerance: int) -> bool:
    if expected == actual:
        return True
    if tolerance == 0 or not _is_fractional(expected) or _shape(expected) != _shape(actual):
        return False
    return abs(Decimal(expected) - Decimal(actual)) <= tolerance * last_digit_unit(expected)


def lines_match(expected: str, actual: str, tolerance: int) -> bool:
    want, got = _split(expected), _split(actual)
    if len(want) != len(got):
        return False
    for k, (w, g) in enumerate(zip(want, got, strict=True)):
        if k % 2 == 0:
            if w != g:
                return False
        elif not numbers_match(w, g, tolerance):
            return False
    return True


def outputs_match(expected: str, actual: str, tolerance: int = DEFAULT_TOLERANCE) -> bool:
    want = normalize_output(expected).splitlines()
    got = normalize_output(actual).splitlines()
    return len(want) == len(got) and all(lines_match(w, g, tolerance) for w, g in zip(want, got, strict=True))


def check_output(
    expected: str,
    actual: str,
    tolerance: int = DEFAULT_TOLERANCE,
    fromfile: str = "expected",
    tofile: str = "printed by the code",
) -> str | None:
    """``None`` when ``actual`` shows what ``expected`` shows under the rule above, else a diff.

    The diff marks only the lines that really differ; lines that differ by noise alone are shown
    as context.
    """
    if outputs_match(expected, actual, tolerance):
        return None
    want = normalize_output(expected).splitlines()
    got = normalize_output(actual).splitlines()
    # lines equal up to noise are shown as the page's line, so the diff points at real changes
    shown = [want[k] if k < len(want) and lines_match(want[k], line, tolerance) else line for k, line in enumerate(got)]
    diff = difflib.unified_diff(want, shown, fromfile=fromfile, tofile=tofile, lineterm="")
    rule = "exactly" if tolerance == 0 else f"up to {tolerance} unit(s) in the last printed digit of a decimal"
    return "\n".join(diff) + f"\n(numbers compared {rule}; words and integers exactly)"


class NoiseTolerantChecker(doctest.OutputChecker):
    """Doctest output under the same rule as text blocks: doctest's own match, or the rule above."""

    def __init__(self, tolerance: int = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want, got, optionflags) or outputs_match(want, got, self.tolerance)
