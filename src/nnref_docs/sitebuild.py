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


def base_path() -> str:
    """The path the site is published under (GitHub Pages: /<repo>), from mkdocs.yml's site_url."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=Loader)
    return urlparse(config["site_url"]).path.rstrip("/")
