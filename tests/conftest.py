"""Fixtures shared by the tests of the built site, and when the site gets built.

The site is built once per test run, in the background, as soon as collection shows that some
test needs it: a thread of one process (the first xdist worker, or the only process) runs
``mkdocs build --strict`` under a file lock while the tests that do not need the site run. A test
that asks for ``site`` takes the same lock, so it waits for the build only if the build is not
done yet, and every worker reuses the same folder. ``broken_build`` is the same for a one-page site
with the mistakes a strict build must refuse, built once for the tests of what the build reports.
"""

import json
import os
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from nnref_docs.paths import DOCS, MKDOCS_YML, ROOT
from nnref_docs.sitebuild import build


def shared_dir(config: pytest.Config) -> Path:
    """A folder every xdist worker of this run sees (the run's basetemp; a worker's is one below)."""
    base = config._tmp_path_factory.getbasetemp()  # noqa: SLF001 - the fixture's factory, from a hook
    return base.parent if hasattr(config, "workerinput") else base


def build_once(shared: Path) -> Path:
    """Build the site into ``shared/site`` unless this run already did (or already failed)."""
    site, failure = shared / "site", shared / "site-build-failed.txt"
    with FileLock(str(shared / "site.lock")):
        if not (site / "index.html").exists() and not failure.exists():
            result = build(MKDOCS_YML, site)
            if result.returncode != 0:
                failure.write_text(build_failure(result.stderr), encoding="utf-8")
    if failure.exists():
        pytest.fail(failure.read_text(encoding="utf-8"), pytrace=False)
    return site


def build_failure(log: str) -> str:
    """What made the strict build fail, first: its WARNING and ERROR lines (a broken link, a page
    outside the nav), then the end of the log."""
    reasons = [line.strip() for line in log.splitlines() if line.lstrip().startswith(("WARNING", "ERROR"))]
    head = "the strict site build failed (make check PAGE=... finds a page's broken links and nav entry in seconds):"
    return "\n".join([head, *reasons[:30], "", "end of the build log:", log[-2000:]])


def pytest_collection_finish(session: pytest.Session) -> None:
    if os.environ.get("NNREF_SITE") or not any("site" in item.fixturenames for item in session.items):
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "gw0")
    if worker == "gw0":  # one builder per run; the thread only waits on the mkdocs subprocess
        shared = shared_dir(session.config)
        threading.Thread(target=lambda: _quietly(build_once, shared), daemon=True).start()


def _quietly(function, *args) -> None:
    try:
        function(*args)
    except pytest.fail.Exception:  # a failed build is reported by the tests that need the site
        pass


@pytest.fixture(scope="session")
def site(request) -> Path:
    """The whole site, built once per test run with --strict (or NNREF_SITE: one already built)."""
    if os.environ.get("NNREF_SITE"):
        return Path(os.environ["NNREF_SITE"])
    return build_once(shared_dir(request.config))


# one page with the mistakes a strict build must refuse: a link to no page, a cross-reference to no
# object, and inline code that looks like a name of nnref but names nothing (hooks/api_reference.py)
BROKEN_PAGE = (
    "# Home\n\n"
    "[a page that is not there](nowhere.md)\n\n"
    "[the engine][nnref.autograd.Value] resolves; [this][nnref.autograd.NoSuchThing] does not.\n\n"
    "`nnref.autograd.Value` becomes a link, `nnref.autograd.Valu` names nothing.\n\n"
    "::: nnref.autograd.Value\n    options:\n      show_root_heading: true\n"
)


@pytest.fixture(scope="session")
def broken_build(request) -> dict:
    """The strict build of a one-page site (the real mkdocs.yml, hooks, theme and assets) whose page
    is :data:`BROKEN_PAGE`, in both languages: ``{"returncode": ..., "stderr": ...}``. Built once
    per test run, like the site, for the tests of what it reports."""
    shared = shared_dir(request.config)
    record = shared / "broken-build.json"
    with FileLock(str(shared / "broken-build.lock")):
        if not record.exists():
            project = shared / "broken-site"
            docs = project / "docs"
            docs.mkdir(parents=True)
            os.symlink(DOCS / "glossary.yml", docs / "glossary.yml")
            os.symlink(DOCS / "assets", docs / "assets")
            for lang in ("ko", "en"):
                (docs / f"index.{lang}.md").write_text(BROKEN_PAGE, encoding="utf-8")
            for name in ("hooks", "overrides", "src"):
                os.symlink(ROOT / name, project / name)
            config = project / "mkdocs.yml"
            config.write_text(f"INHERIT: {MKDOCS_YML}\ndocs_dir: docs\nnav:\n  - index.md\n")
            result = build(config, project / "site")
            record.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr}))
    return json.loads(record.read_text())


THREAD_FRAGILE = """# {title}

```python
import torch

torch.manual_seed(0)
x = torch.rand(10**6)
print(f"{x.sum().item():.7f}")
```

```text
{printed}
```
"""


@pytest.fixture
def thread_fragile():
    """Writes a page whose output changes with the torch thread count (a float32 sum of 10^6
    numbers printed to 7 decimals), showing what make test's setting prints; returns that text.

    ``write(paths, title)``: the page goes to every path of ``paths``, its output block filled with
    what the test process's page server (this CPU, one thread) printed for it.
    """
    from nnref_docs.pageserver import shared_server
    from nnref_docs.parse import parse_page

    def write(paths: list[Path], title: str = "x") -> str:
        first = paths[0]
        page = THREAD_FRAGILE.replace("{title}", title)
        first.write_text(page.replace("{printed}", "?"), encoding="utf-8")
        [wrong], _, _ = shared_server().run_page(first, first.parent, parse_page(first.read_text(encoding="utf-8")))
        [printed] = [line[1:] for line in wrong.message.splitlines() if line[:1] == "+" and line[:3] != "+++"]
        for path in paths:
            path.write_text(page.replace("{printed}", printed), encoding="utf-8")
        return printed

    return write


@pytest.fixture(scope="module")
def server(site):
    """The built site served on 127.0.0.1 under the same path as when it is published."""
    from nnref_docs.browser import serve

    httpd, url = serve(site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (the headless shell first, see nnref_docs.browser), one per test module."""
    from nnref_docs.browser import find_chromium, launch_chromium

    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium installed (bash .ci/run installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, executable)
        yield browser
        browser.close()


# ---- how close nnref's NumPy code comes to torch ------------------------------------------------
#
# The tests of nnref.scratch compare each result with torch's under a tolerance, through the
# ``close`` fixture: a result outside the tolerance fails the test that produced it, and a result
# inside is recorded. The worst recorded error of each check travels with the test's report (so
# xdist workers hand theirs to the controller) and is printed at the end of the run.

WORST_ERRORS: dict[tuple[str, str, str], float] = {}  # (test file, check, dtype) -> worst |ours - torch|
FLOAT64 = dict(rtol=1e-10, atol=1e-12)


class Closeness:
    """``close(name, ours, theirs, dtype=None, rtol=..., atol=...)`` asserts that ``ours`` (a NumPy
    array or number) matches ``theirs`` (a torch tensor or an array) within ``rtol``/``atol``
    (default: float64's ``1e-10``/``1e-12``), and, when ``dtype`` is given, that ``ours`` has that
    NumPy dtype; then records ``max |ours - theirs|`` (equal infinities count as 0) under ``name``
    and the dtype's name."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, str, float]] = []  # recorded by the running test, not yet reported

    def __call__(self, name, ours, theirs, dtype=None, **tolerance) -> None:
        import numpy as np

        if hasattr(theirs, "detach"):
            theirs = theirs.detach().cpu().numpy()
        ours, theirs = np.asarray(ours), np.asarray(theirs)
        if dtype is not None:
            assert ours.dtype == np.dtype(dtype), f"{name}: {ours.dtype} != {np.dtype(dtype)}"
        np.testing.assert_allclose(ours, theirs, **(tolerance or FLOAT64), err_msg=name)
        if ours.size:
            a, b = np.broadcast_arrays(ours.astype(np.float64), theirs.astype(np.float64))
            with np.errstate(invalid="ignore"):  # inf - inf: equal infinities are no error
                difference = np.where(a == b, 0.0, np.abs(a - b))
            self.pending.append((name, np.dtype(dtype or ours.dtype).name, float(np.max(difference))))


@pytest.fixture(scope="session")
def close(request) -> Closeness:
    """The one :class:`Closeness` of this process (session-wide, so hypothesis tests may use it)."""
    checker = Closeness()
    request.config.stash[CLOSENESS] = checker
    return checker


CLOSENESS = pytest.StashKey[Closeness]()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Hand what the test recorded to its report (the teardown report carries user_properties)."""
    checker = item.config.stash.get(CLOSENESS, None)
    if checker is not None and checker.pending:
        item.user_properties.append(("worst_error", [list(entry) for entry in checker.pending]))
        checker.pending.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep, per test file, check and dtype, the worst error any test recorded (in the process
    that reports: the only one, or xdist's controller)."""
    file = report.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    for key, entries in report.user_properties:
        if key == "worst_error":
            for name, dtype, error in entries:
                WORST_ERRORS[file, name, dtype] = max(WORST_ERRORS.get((file, name, dtype), 0.0), error)


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the worst error of every check that the ``close`` fixture recorded in this run."""
    if not WORST_ERRORS:
        return
    terminalreporter.section("worst |ours - torch| per check, within its tolerance")
    for (file, name, dtype), error in sorted(WORST_ERRORS.items()):
        terminalreporter.write_line(f"{file:28s} {name:34s} {dtype:8s} {error:.1e}")
