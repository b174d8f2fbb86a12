"""Collect every Markdown page under docs/ with Sybil (the harness lives in tests/mdharness)."""

from pathlib import Path

from mdharness.collect import make_sybil

pytest_collect_file = make_sybil(Path(__file__).parent).pytest()
