"""Run each page in a process of its own, as a reader's ``python page.py`` would, without paying
for ``import torch`` once per page.

A :class:`PageServer` (this module: the parent end) is one interpreter started with ``python -I -m
nnref_docs.pagechild`` (installed packages only, so ``nnref`` and this toolkit, but not ``tests/``
or ``docs/``) in an empty folder. It imports NumPy, PyTorch and Matplotlib once, then forks a
child for each page (:mod:`.pagechild`, the child end). The child runs the page's blocks
one at a time, in one fresh namespace, with :class:`.run.PageRun`, and answers each request with
the runner's findings (:class:`.findings.Finding`). What one page imports, patches or sets
globally (a default dtype, print options, a seed) dies with its child, so a page passes only if
it runs from a clean start: the test of the page and the test of its downloadable script are one
run.

The protocol is one JSON line per request and one per answer over the server's stdin/stdout,
strictly in turn (a request is written only after the answer to the previous one), so the
server never reads a line meant for a child.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from .findings import Finding
from .parse import Block, makes_figures


def _reissue(found: list[dict]) -> None:
    """Warn, in the test process, what a page's block warned in its own process, so that pytest's
    warning summary shows it as it did when pages ran in the test process."""
    for w in found:
        module, _, name = w["category"].rpartition(".")
        try:
            category = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            category = UserWarning
        if not (isinstance(category, type) and issubclass(category, Warning)):
            category = UserWarning
        warnings.warn_explicit(w["message"], category, w["filename"], w["lineno"])


_SHARED: PageServer | None = None


def shared_server() -> PageServer:
    """This process's page server (one per pytest worker), started when first asked for."""
    global _SHARED
    if _SHARED is None:
        import atexit

        _SHARED = PageServer()
        atexit.register(_SHARED.close)
    return _SHARED


class PageGone(RuntimeError):
    """The page's process ended before answering (a crash, ``os._exit``, a signal)."""


class PageServer:
    """The preloaded interpreter; :meth:`open` a page, send it blocks, :meth:`close` it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        """``env``: more environment for the pages' processes, e.g. :func:`nnref_docs.portable.env`."""
        self.home = Path(tempfile.mkdtemp(prefix="nnref-pages-"))
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}, **(env or {})}
        env["MPLBACKEND"] = "Agg"
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "nnref_docs.pagechild"],
            cwd=self.home,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.page: str | None = None
        self.printed = ""  # what the last block printed, when it passed

    def _send(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._receive()

    def _receive(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise PageGone("the page server is gone")
        message = json.loads(line)
        if "exit" in message:  # the child ended without answering
            self.page = None
            status = message["exit"]
            raise PageGone(f"the page's process ended with exit status {status} (os._exit, a crash or a signal)")
        return message

    def open(self, path: Path, root: Path) -> None:
        if self.page is not None:
            self.finish()
        self.page = str(Path(path).resolve())
        self._send(path=self.page, root=str(Path(root).resolve()))

    def run_block(self, block: Block) -> Finding | None:
        """The runner's finding for ``block`` (``None``: it passed); raises SkipTest for a skip."""
        if self.page is None:
            raise PageGone("the page's process is gone: an earlier block ended it")
        answer = self._send(op="block", block=block.as_dict())
        if "skip" in answer:
            import unittest

            raise unittest.SkipTest(answer["skip"])
        _reissue(answer.get("warnings", []))
        self.printed = answer.get("printed", "")
        return next((Finding(**found) for found in answer["findings"]), None)

    def check_figures(self) -> list[Finding]:
        """A finding per figure of the page that differs from the one beside it (or is missing)."""
        if self.page is None:
            raise PageGone("the page's process is gone: an earlier block ended it")
        answer = self._send(op="figures")
        _reissue(answer.get("warnings", []))
        return [Finding(**found) for found in answer["findings"]]

    def run_page(
        self, path: Path, root: Path, blocks: list[Block], printed: list | None = None
    ) -> tuple[list[Finding], int, int]:
        """Run a whole page (or lab) block by block, as the pytest plugin does one test at a time.

        Returns the findings (``file:line: ...``), the number of blocks run and skipped.
        ``printed``, if given, gets what each block printed (``None``: skipped or failed).
        """
        found: list[Finding] = []
        ran = skipped = 0
        self.open(path, root)
        try:
            for block in blocks:
                if block.skip_reason is not None:
                    skipped += 1
                    if printed is not None:
                        printed.append(None)
                    continue
                try:
                    finding = self.run_block(block)
                except PageGone as gone:
                    found.append(Finding.at(path, block.line, str(gone), root))
                    return found, ran, skipped
                ran += 1
                if finding:
                    found.append(finding)
                if printed is not None:
                    printed.append(None if finding else self.printed)
            if makes_figures(blocks):
                found += self.check_figures()
        finally:
            self.finish()
        return found, ran, skipped

    def finish(self) -> None:
        """End the current page: its child tears down (closes figures, removes its folder) and exits."""
        if self.page is None:
            return
        self._send(op="end")  # answered by "bye"
        self.page = None
        exit_line = json.loads(self.process.stdout.readline() or '{"exit": -1}')
        if exit_line.get("exit") not in (0, None):
            raise PageGone(f"the page's process exited with status {exit_line['exit']} after the page ended")

    def close(self) -> None:
        try:
            self.finish()
        except PageGone:
            pass
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.home, ignore_errors=True)
