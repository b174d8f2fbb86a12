"""Fixtures shared by the tests of the built site."""

import os
from pathlib import Path

import pytest
from filelock import FileLock

from nnref_docs.sitebuild import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory, request) -> Path:
    """The whole site, built once per test run with --strict (or NNREF_SITE: one already built).

    Under pytest-xdist every worker asks for it; the first one builds it into a folder all
    workers share, under a file lock, and the others wait for it and reuse it.
    """
    if os.environ.get("NNREF_SITE"):
        return Path(os.environ["NNREF_SITE"])
    shared = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # an xdist worker: its basetemp is one per worker
        shared = shared.parent
    site, failure = shared / "site", shared / "site-build-failed.txt"
    with FileLock(str(shared / "site.lock")):
        if not (site / "index.html").exists() and not failure.exists():
            result = build(ROOT / "mkdocs.yml", site)
            if result.returncode != 0:
                failure.write_text(result.stderr[-4000:], encoding="utf-8")
    assert not failure.exists(), failure.read_text(encoding="utf-8")
    return site
