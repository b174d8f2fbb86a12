"""Fixtures shared by the tests of the built site."""

import os
from pathlib import Path

import pytest
from sitebuild import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, built once per session with --strict (or NNREF_SITE: one already built)."""
    if os.environ.get("NNREF_SITE"):
        return Path(os.environ["NNREF_SITE"])
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site
