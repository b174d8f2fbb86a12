"""Collect every Markdown page under docs/ with Sybil (the harness lives in src/nnref_docs), record
which pages passed, for the "verified" stamp the build puts on each page, and spread the run over
the cores (``make test`` runs ``pytest -n auto --dist loadscope``)."""

import os
from pathlib import Path

import pytest

from nnref_docs.collect import make_sybil
from nnref_docs.stamps import Recorder

ROOT = Path(__file__).parent
pytest_plugins = ("pytester",)  # tests/test_toolkit_failures.py runs pytest on fixture pages
pytest_collect_file = make_sybil(ROOT).pytest()
_recorder = Recorder(ROOT)


def pytest_configure(config):
    """The GPU job sets NNREF_REQUIRE_CUDA=1: without a CUDA device, the run fails at once instead
    of skipping every CUDA test and passing."""
    if os.environ.get("NNREF_REQUIRE_CUDA") == "1":
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError("NNREF_REQUIRE_CUDA=1, but torch sees no CUDA device")


# modules whose tests are long and independent: each test is its own unit of work for xdist
SPREAD = {"test_a11y.py", "test_autograd.py", "test_browser.py", "test_distributed.py", "test_labs.py"}
FIRST = (  # the long ones
    "tests/test_labs.py",
    "tests/test_distributed.py",
    "tests/test_torch_samples.py",
    "tests/test_autograd.py",
)
FIRST_OF_THE_SITE_TESTS = ("tests/test_a11y.py",)  # the long ones among the tests of the built site


def work_unit(nodeid: str) -> str:
    """What xdist hands to one worker as a whole: a page (its blocks run in order in one process),
    a test module (its module fixtures are made once), or one test of a module in ``SPREAD``."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("docs/") or Path(path).name not in SPREAD:
        return path
    return nodeid


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with :func:`work_unit` as the scope, handed out in collection order.

    (``--dist loadgroup`` would do with markers, but pytest-xdist 3.8 renames nodes in a way
    pytest 9 no longer sees.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # the order below, not the number of tests per unit
    return PageScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """The long units first, the tests that need the built site last (the long ones of those first):
    the site builds in the background meanwhile (tests/conftest.py), so no core waits for it, and
    no long unit is left for the end, when one core would wait for the other."""

    def order(item):
        path = item.nodeid.split("::", 1)[0]
        if "site" not in item.fixturenames:
            return 0 if path in FIRST else 1
        return 2 if path in FIRST_OF_THE_SITE_TESTS else 3

    items.sort(key=order)  # stable: a page's blocks keep their order


def pytest_runtest_logreport(report):
    _recorder.add(report)


def pytest_sessionfinish(session, exitstatus):
    if not hasattr(session.config, "workerinput"):  # under xdist the controller sees every report
        _recorder.write()
