"""Collect every Markdown page under docs/ with Sybil (the harness lives in src/nnref_docs), record
which pages passed, for the "verified" stamp the build puts on each page, and spread the run over
the cores (``make test`` runs ``pytest -n auto --dist loadscope``)."""

import json
import os
from pathlib import Path

import pytest

from nnref_docs.sybil_plugin import make_sybil
from nnref_docs.stamps import Recorder

pytest_plugins = ("pytester",)  # tests/toolkit/test_toolkit_failures.py runs pytest on fixture pages
# this file's own folder, not nnref_docs.paths.ROOT: the tests copy this conftest into throw-away
# projects (tests/toolkit/test_page_as_one_unit.py), where it must collect that project's pages
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


# The schedule comes from two markers, set with ``pytestmark`` in the test modules concerned:
# ``spread`` (the module's tests are long and independent: each is its own unit of work) and
# ``long`` (handed out first). xdist's controller hands out work by node id and sees no markers,
# so each worker writes the paths of the spread modules it collected to SPREAD_FILE in the run's
# folder, which the controller reads when it splits the collection into units.
SPREAD_FILE = "spread-modules.json"


def run_dir(config: pytest.Config) -> Path:
    """A folder every xdist worker and the controller of this run see (the run's basetemp; a
    worker's own is one below)."""
    base = config._tmp_path_factory.getbasetemp()  # noqa: SLF001 - the fixture's factory, from a hook
    return base.parent if hasattr(config, "workerinput") else base


def work_unit(nodeid: str, spread: set[str]) -> str:
    """What xdist hands to one worker as a whole: a page (its blocks run in order in one process),
    a test module (its module fixtures are made once), or one test of a module in ``spread`` (the
    paths of the modules marked ``spread``)."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("docs/") or path not in spread:
        return path
    return nodeid


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with :func:`work_unit` as the scope, handed out in collection order, for
    every ``--dist`` mode that hands tests out (``load``, the default of ``-n``, ``loadfile``,
    ``loadscope``, ``loadgroup``, ``worksteal``): under the others a page's blocks would land on
    two workers, and a block that uses a name from the one above fails with NameError
    (tests/toolkit/test_page_as_one_unit.py). ``--dist each`` runs everything on every worker, as xdist does.

    (``--dist loadgroup`` would do with markers, but pytest-xdist 3.8 renames nodes in a way
    pytest 9 no longer sees.)
    """
    if config.getvalue("dist") in ("no", "each"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        spread: set[str] | None = None  # read once, after every worker has collected

        def _split_scope(self, nodeid: str) -> str:
            if self.spread is None:
                file = run_dir(config) / SPREAD_FILE
                self.spread = set(json.loads(file.read_text(encoding="utf-8"))) if file.exists() else set()
            return work_unit(nodeid, self.spread)

    config.option.loadscopereorder = False  # the order below, not the number of tests per unit
    return PageScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """The tests marked ``long`` first, the tests that need the built site last (the long ones of
    those first): the site builds in the background meanwhile (tests/conftest.py), so no core waits
    for it, and no long unit is left for the end, when one core would wait for the other. Under
    xdist, each worker also writes the modules marked ``spread`` for the controller (SPREAD_FILE)."""

    if hasattr(config, "workerinput"):  # for the controller's PageScheduling
        spread = sorted({item.nodeid.split("::", 1)[0] for item in items if item.get_closest_marker("spread")})
        file = run_dir(config) / SPREAD_FILE
        partial = file.with_name(f"{SPREAD_FILE}.{config.workerinput['workerid']}")
        partial.write_text(json.dumps(spread), encoding="utf-8")
        os.replace(partial, file)  # every worker writes the same list: whole files only

    def order(item):
        long = item.get_closest_marker("long") is not None
        if "site" not in item.fixturenames:
            return 0 if long else 1
        return 2 if long else 3

    items.sort(key=order)  # stable: a page's blocks keep their order


def pytest_runtest_logreport(report):
    _recorder.add(report)


def pytest_sessionfinish(session, exitstatus):
    if not hasattr(session.config, "workerinput"):  # under xdist the controller sees every report
        _recorder.write()
