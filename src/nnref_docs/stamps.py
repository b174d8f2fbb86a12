"""The "verified" stamp on each page: which pages' code passed in the last test run, with which versions.

The test run records it (:class:`Recorder`, into :data:`nnref_docs.paths.RECORD`); the build reads
the record and words the stamp (:func:`stamp`, through ``hooks/stamps.py``). Written by the run that
really executed the code, never by hand; a page with no record, or whose last run failed, says so.
"""

from __future__ import annotations

import datetime
import json
import platform
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from .paths import RECORD

TEXT = {
    "ko": {
        "ok": "이 페이지의 코드 블록 {passed}개는 {time}에 {env} 환경에서 실행되어 출력까지 검증되었습니다.",
        "skipped": " ({skipped}개는 이유를 밝히고 건너뜀)",
        "failed": "이 페이지의 코드 검증이 {time}에 실패했습니다({failed}개 블록).",
        "none": "이 빌드에는 이 페이지의 코드를 검증한 기록이 없습니다(`make test`가 기록을 남깁니다).",
        "no_code": "이 페이지에는 실행할 코드 블록이 없습니다.",
    },
    "en": {
        "ok": "The {passed} code blocks on this page were run and their output checked on {time} with {env}.",
        "skipped": " ({skipped} skipped, each with a stated reason)",
        "failed": "Verifying this page's code failed on {time} ({failed} blocks).",
        "none": "This build has no record of this page's code being verified (`make test` writes one).",
        "no_code": "This page has no code blocks to run.",
    },
}


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


def stamp(entry: dict | None, lang: str, has_code: bool) -> tuple[str, str]:
    words = TEXT[lang]
    if not has_code:
        return "note", words["no_code"]
    if not entry:
        return "warning", words["none"]
    v = entry["versions"]
    names = (("nnref", "nnref"), ("torch", "PyTorch"), ("numpy", "NumPy"), ("python", "Python"))
    env = " · ".join(f"{name} {v[key]}" for key, name in names if key in v) + f" ({v.get('device', 'cpu')})"
    if entry["failed"]:
        return "failure", words["failed"].format(**entry)
    text = words["ok"].format(passed=entry["passed"], time=entry["time"], env=env)
    if entry["skipped"]:
        text += words["skipped"].format(skipped=entry["skipped"])
    return "success", text
