"""The "verified" stamp on each page and lab: which code passed in the last test run, with which versions.

The test run records it (:class:`Recorder`, into :data:`nnref_docs.paths.RECORD`); the build reads
the record and words the stamp (:func:`stamp`, through ``hooks/stamps.py``). Written by the run that
really executed the code, never by hand; a page with no record, whose last run failed, or that
changed since (each entry keeps a digest of the source that ran), says so.

A lab's test (``tests/toolkit/test_labs.py``) reports its run as the user property :data:`LAB_RUN` (JSON); the
recorder also keeps what each of its cells printed, in :func:`outputs_path`, for the lab's page
(:mod:`.labs`).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import platform
import re
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from .paths import RECORD
from .words import WORDS

LAB_RUN = "nnref_lab_run"  # the user property under which a lab's test reports its run

TEXT = WORDS["stamps"]  # nnref_docs.words


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


def digest(source: bytes) -> str:
    """What the record keeps of the source that ran, to tell whether a page changed since."""
    return hashlib.sha256(source).hexdigest()[:16]


def outputs_path(root: Path, lab: str) -> Path:
    """Where a lab's printed outputs are kept: ``docs/labs/01-foundations.en.py`` ->
    ``.cache/nnref/labs/01-foundations.en.json`` (beside the record)."""
    return root / RECORD.parent / "labs" / (Path(lab).stem + ".json")


class Recorder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})
        self.sources: dict[str, str] = {}
        self.labs: dict[str, dict] = {}

    def add(self, report) -> None:
        lab = dict(report.user_properties).get(LAB_RUN)
        if lab is not None:
            if report.when == "call" or report.outcome != "passed":
                self.add_lab(json.loads(lab), passed=report.outcome == "passed")
            return
        path = report.nodeid.split("::", 1)[0]
        if not (path.startswith("docs/") and path.endswith(".md")) or "::line:" not in report.nodeid:
            return
        if path not in self.sources:  # read as the page's first block is reported: the source that ran
            self.sources[path] = digest((self.root / path).read_bytes())
        if report.when == "call" or report.outcome != "passed":  # a result, or a broken setup/teardown
            self.pages[path][report.outcome] += 1

    def add_lab(self, run: dict, passed: bool = True) -> None:
        """A lab's run (:meth:`nnref_docs.labs.LabRun.record`); ``passed``: whether its test passed."""
        failed = run["failed"] or (0 if passed else 1)
        if run["lab"] in self.labs:  # a later phase of the same test (a failed teardown)
            failed = max(failed, self.labs[run["lab"]]["failed"])
        self.labs[run["lab"]] = {**run, "failed": failed}

    def write(self) -> Path | None:
        if not self.pages and not self.labs:
            return None
        path = self.root / RECORD
        old = json.loads(path.read_text()) if path.exists() else {"pages": {}}
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        env = versions()
        for page, counts in self.pages.items():
            old["pages"][page] = {**counts, "time": now, "versions": env, "source": self.sources[page]}
        for lab, run in self.labs.items():
            passed = sum(printed is not None for printed in run["printed"])
            counts = {"passed": passed, "failed": run["failed"], "skipped": run["skipped"]}
            old["pages"][lab] = {**counts, "time": now, "versions": env, "source": run["source"]}
            outputs = outputs_path(self.root, lab)
            outputs.parent.mkdir(parents=True, exist_ok=True)
            if run["failed"]:  # no outputs of a failed run, and none of an older one
                outputs.unlink(missing_ok=True)
            else:
                kept = {"lab": lab, "source": run["source"], "printed": run["printed"]}
                outputs.write_text(json.dumps(kept, indent=1, ensure_ascii=False), encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(old, indent=1, sort_keys=True), encoding="utf-8")
        return path


def read_record(root: Path) -> dict[str, dict]:
    """The record's entries, by path from the repository root (``docs/...``); empty without a record."""
    path = root / RECORD
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pages", {})


def current(entry: dict | None, source: bytes) -> bool:
    """Whether ``entry`` records a run of exactly ``source`` (an entry from before the record kept
    digests cannot tell, and counts as no record)."""
    return bool(entry) and entry.get("source") == digest(source)


def lab_printed(root: Path, lab: str, source: bytes) -> list[str | None] | None:
    """What each cell of ``lab`` printed in its last passing run of ``source``; ``None`` without one."""
    path = outputs_path(root, lab)
    if not path.exists():
        return None
    kept = json.loads(path.read_text(encoding="utf-8"))
    return kept["printed"] if kept.get("source") == digest(source) else None


def stamp(entry: dict | None, lang: str, has_code: bool, source: bytes, lab: bool = False) -> tuple[str, str]:
    """The stamp's kind (``success``, ``failure``, ``warning``, ``note``) and words for a page (or a
    lab) whose source is ``source`` and whose record entry is ``entry``."""
    words = TEXT[lang]
    prefix = "lab_" if lab else ""
    if not has_code:
        return "note", words["no_code"]
    if not entry or "source" not in entry:
        return "warning", words[prefix + "none"]
    if not current(entry, source):
        return "warning", words[prefix + "changed"].format(time=entry["time"])
    v = entry["versions"]
    names = (("nnref", "nnref"), ("torch", "PyTorch"), ("numpy", "NumPy"), ("python", "Python"))
    env = " · ".join(f"{name} {v[key]}" for key, name in names if key in v) + f" ({v.get('device', 'cpu')})"
    counts = {
        "blocks": _count(entry["passed"], "block"),
        "cells": _count(entry["passed"], "cell"),
        "failures": _count(entry["failed"], "failure"),
    }
    if entry["failed"]:
        return "failure", words[prefix + "failed"].format(**entry, **counts)
    text = words[prefix + "ok"].format(passed=entry["passed"], time=entry["time"], env=env, **counts)
    if entry["skipped"]:
        text += words["skipped"].format(skipped=entry["skipped"])
    return "success", text


def _count(n: int, noun: str) -> str:
    """``1 block``, ``2 blocks``: the English texts' counts (Korean counts need no plural)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def with_stamp(markdown: str, entry: dict | None, lang: str, source: bytes) -> str:
    """A page's Markdown with its stamp at the end."""
    from .parse import ParseError, parse_page

    try:
        has_code = bool(parse_page(markdown))
    except ParseError:  # the tests report it with its line; the stamp must not break the build
        has_code = True
    kind, text = stamp(entry, lang, has_code, source)
    return markdown + f'\n\n<div class="nnref-stamp nnref-stamp--{kind}" markdown>\n{text}\n</div>\n'


def stamp_html(kind: str, text: str) -> str:
    """The stamp as HTML, as a page's stamp renders (for pages not written in Markdown: the labs)."""
    inline = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))
    return f'<div class="nnref-stamp nnref-stamp--{kind}">\n<p>{inline}</p>\n</div>\n'
