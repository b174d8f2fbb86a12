"""Collect every Markdown page under docs/ with Sybil (the harness lives in tests/mdharness), and
record which pages passed, for the "verified" stamp the build puts on each page."""

from pathlib import Path

from mdharness.collect import make_sybil
from mdharness.stamps import Recorder

ROOT = Path(__file__).parent
pytest_collect_file = make_sybil(ROOT).pytest()
_recorder = Recorder(ROOT)


def pytest_runtest_logreport(report):
    _recorder.add(report)


def pytest_sessionfinish(session, exitstatus):
    _recorder.write()
