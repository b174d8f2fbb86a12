"""The docs test harness: every python block of every page runs, and printed output is checked.

- :mod:`mdharness.parse` finds the blocks of a Markdown page (pure, unit-tested).
- :mod:`mdharness.run` runs them in one namespace per page and words the failures.
- :mod:`mdharness.collect` plugs both into Sybil and so into pytest.
"""

from .parse import Block, ParseError, parse_page

__all__ = ["Block", "ParseError", "parse_page"]
