"""Record which pages' code passed in this test run, and with which versions, for the build.

The record (``.cache/nnref/verified.json``) is what the site's "verified" stamp on each page is
made from (hooks/stamps.py): written by the run that really executed the code, never by hand.
"""

from __future__ import annotations

import datetime
import json
import platform
from collections import defaultdict
from importlib import metadata
from pathlib import Path

RECORD = Path(".cache") / "nnref" / "verified.json"


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in ("nnref", "torch", "numpy"):
        try:
            found[dist] = metadata.version(dist).split("+")[0]
        except metadata.PackageNotFoundError:
            pass
    try:
        import torch

        found["device"] = "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        found["device"] = "cpu"
    return found


class Recorder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})

    def add(self, report) -> None:
        path = report.nodeid.split("::", 1)[0]
        if not (path.startswith("docs/") and path.endswith(".md")) or "::line:" not in report.nodeid:
            return
        if report.when == "call" or report.outcome != "passed":  # a result, or a broken setup/teardown
            self.pages[path][report.outcome] += 1

    def write(self) -> Path | None:
        if not self.pages:
            return None
        path = self.root / RECORD
        old = json.loads(path.read_text()) if path.exists() else {"pages": {}}
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        env = versions()
        for page, counts in self.pages.items():
            old["pages"][page] = {**counts, "time": now, "versions": env}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(old, indent=1, sort_keys=True), encoding="utf-8")
        return path
