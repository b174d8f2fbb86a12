"""A page runs as one unit whatever xdist flags a contributor types: ``pytest -n 2 docs/<page>.md``
with any ``--dist`` mode keeps the page's blocks on one worker, in page order.

One real run: the root ``conftest.py`` in a throw-away project (pytester, in a subprocess, since
xdist starts worker processes) on pages whose every block uses a name the block above it set, so a
page split over two workers, or run out of order, fails with NameError or a wrong count. Each
``--dist`` mode is then checked at the root conftest's scheduler hook, without starting workers.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest

from nnref_docs.paths import ROOT

BLOCKS = 12
PAGE = "```python\nn = 0\nprint(n)\n```\n\n```text\n0\n```\n" + "".join(
    f"\n```python\nn += 1\nprint(n)\n```\n\n```text\n{i}\n```\n" for i in range(1, BLOCKS)
)
HANDED_OUT = ["load", "loadfile", "loadscope", "loadgroup", "worksteal"]  # the modes that split work


@pytest.mark.slow
def test_a_page_is_one_unit_under_xdist_default_mode(pytester: pytest.Pytester):
    """``pytest -n 2 docs``: xdist's default (``--dist load``) used to spread a page's blocks."""
    for name in ("count.ko.md", "other.ko.md"):  # two pages: work for both workers
        (pytester.path / "docs").mkdir(exist_ok=True)
        (pytester.path / "docs" / name).write_text(PAGE, encoding="utf-8")
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    result = pytester.runpytest_subprocess("-n", "2", "docs", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=2 * BLOCKS)


def root_conftest(config: pytest.Config):
    """The root ``conftest.py`` as pytest loaded it (no second import, no ``sys.path`` edit)."""
    for plugin in config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", "") or "") == ROOT / "conftest.py":
            return plugin
    raise AssertionError("the root conftest.py is not loaded")


def fake_config(dist: str, tmp_path: Path) -> SimpleNamespace:
    """What the scheduler hook and xdist's schedulers read of a config: ``-n 2 --dist <dist>``, and
    the run's folder (empty here: no module asks for its tests to be spread)."""
    values = {"dist": dist, "tx": ["2*popen"]}
    return SimpleNamespace(
        getvalue=values.__getitem__,
        option=SimpleNamespace(loadscopereorder=True),
        _tmp_path_factory=SimpleNamespace(getbasetemp=lambda: tmp_path),
    )


@pytest.mark.parametrize("dist", HANDED_OUT)
def test_every_dist_mode_hands_a_page_out_whole(request, tmp_path, dist):
    hook = root_conftest(request.config).pytest_xdist_make_scheduler
    scheduler = hook(config=fake_config(dist, tmp_path), log=None)
    assert scheduler is not None, f"--dist {dist}: xdist's own scheduler would split a page"
    first, last = (
        "docs/06-training/workflow.ko.md::line:12,column:1",
        "docs/06-training/workflow.ko.md::line:98,column:1",
    )
    assert scheduler._split_scope(first) == scheduler._split_scope(last) == "docs/06-training/workflow.ko.md"
    assert scheduler._split_scope("docs/06-training/workflow.en.md::line:12,column:1") != scheduler._split_scope(first)


def test_each_mode_is_left_to_xdist(request, tmp_path):
    """``--dist each`` runs every test on every worker: each worker runs whole pages already."""
    hook = root_conftest(request.config).pytest_xdist_make_scheduler
    assert hook(config=fake_config("each", tmp_path), log=None) is None
