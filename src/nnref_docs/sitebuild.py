"""Build the site the way `make build` does (used by the site and browser tests)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .paths import MKDOCS_YML


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def mkdocs_config(path: Path = MKDOCS_YML) -> dict:
    """``mkdocs.yml`` as data, its ``!!python/...`` tags (slugify functions) read as ``None``."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def base_path() -> str:
    """The path the site is published under (GitHub Pages: /<repo>), from mkdocs.yml's site_url."""
    return urlparse(mkdocs_config()["site_url"]).path.rstrip("/")
