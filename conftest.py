"""Collect every Markdown page under docs/ with Sybil (the harness lives in src/nnref_docs), and
record which pages passed, for the "verified" stamp the build puts on each page."""

import os
from pathlib import Path

import pytest
from nnref_docs.collect import make_sybil
from nnref_docs.stamps import Recorder

ROOT = Path(__file__).parent
pytest_collect_file = make_sybil(ROOT).pytest()
_recorder = Recorder(ROOT)


def pytest_configure(config):
    """The GPU job sets NNREF_REQUIRE_CUDA=1: without a CUDA device, the run fails at once instead
    of skipping every CUDA test and passing."""
    if os.environ.get("NNREF_REQUIRE_CUDA") == "1":
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError("NNREF_REQUIRE_CUDA=1, but torch sees no CUDA device")


def pytest_runtest_logreport(report):
    _recorder.add(report)


def pytest_sessionfinish(session, exitstatus):
    if not hasattr(session.config, "workerinput"):  # under xdist the controller sees every report
        _recorder.write()
