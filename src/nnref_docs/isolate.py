"""Run each page in a process of its own, as a reader's ``python page.py`` would, without paying
for ``import torch`` once per page.

A :class:`PageServer` is one interpreter started with ``python -I`` (installed packages only, so
``nnref`` and this toolkit, but not ``tests/`` or ``docs/``) in an empty folder. It imports NumPy,
PyTorch and Matplotlib once, then forks a child for each page. The child runs the page's blocks
one at a time, in one fresh namespace, with :class:`.run.PageRun`, and answers each request with
the runner's message. What one page imports, patches or sets globally (a default dtype, print
options, a seed) dies with its child, so a page passes only if it runs from a clean start: the
test of the page and the test of its downloadable script are one run.

The protocol is one JSON line per request and one per answer over the server's stdin/stdout,
strictly in turn (a request is written only after the answer to the previous one), so the
server never reads a line meant for a child.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from .parse import Block, makes_figures
from .run import where

BLOCK_TIMEOUT_S = 600

SERVER = r"""
import json, os, sys
from nnref_docs.isolate import serve_page, warm_up
warm_up()
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            status = serve_page(job)
        finally:
            os._exit(status)
    _, wait_status = os.waitpid(pid, 0)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(wait_status)}), flush=True)
"""


def warm_up() -> None:
    """Import, once in the server, what the pages import, and pay the costs a process pays on first
    use (torch.optim pulls in torch._dynamo: 1.3 s; Matplotlib loads its fonts on the first figure
    and builds its math-text parser on the first formula; CairoSVG loads libcairo).

    The children start from here: nothing of this is in a page's namespace, every page seeds its
    generators itself, and PyTorch runs single-threaded meanwhile so that no thread pool exists
    before the fork; the thread count is then put back as it was.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy  # noqa: F401
    import torch

    import nnref.autograd
    import nnref.cli
    import nnref.data
    import nnref.models
    import nnref.scratch
    import nnref.train  # noqa: F401

    from . import compare, figures, run  # noqa: F401

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        nn = torch.nn
        model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
        lstm = nn.LSTM(2, 3, batch_first=True)
        for optimizer in (torch.optim.Adam(model.parameters()), torch.optim.SGD(lstm.parameters(), lr=0.1)):
            loss = model(torch.zeros(1, 1, 4, 4)).sum() + lstm(torch.zeros(1, 2, 2))[0].sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(4, 2)), batch_size=2)
        list(loader)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="x")
        ax.legend()
        ax.set_title("warm-up")
        ax.set_xlabel(r"$\eta \cdot 10^{-2}$")  # builds Matplotlib's math-text parser and loads its fonts
        for fmt in ("svg", "png"):
            fig.savefig(io.BytesIO(), format=fmt)
        plt.close("all")
        try:  # what compares a page's SVG figures with the shipped ones (nnref_docs.figures)
            import cairosvg  # noqa: F401
        except (ImportError, OSError):  # no libcairo: figures.compare_figures reports that itself
            pass
    finally:
        torch.set_num_threads(threads)


def serve_page(job: dict) -> int:
    """In the forked child: run one page's requests until ``end``. Returns the exit status."""
    import signal
    import unittest

    from .run import PageRun

    # the protocol gets its own descriptors; a page sees an empty stdin (input() raises EOFError
    # instead of eating a request) and a stdout that is not the protocol (C code writes to fd 1)
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the child
    sys.stdout = sys.stderr

    def answer(**message) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    def too_long(signum, frame):
        raise TimeoutError(f"the block ran longer than {BLOCK_TIMEOUT_S} s")

    signal.signal(signal.SIGALRM, too_long)
    run = PageRun(Path(job["path"]), Path(job["root"]))
    run.setup({})
    answer(ready=True)
    try:
        for line in requests:
            request = json.loads(line)
            if request["op"] == "end":
                break
            signal.alarm(BLOCK_TIMEOUT_S)
            run.printed = ""
            caught: list = []
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    if request["op"] == "block":
                        message = run.run_block(Block(**request["block"]))
                    else:
                        message = run.check_figures()
            except unittest.SkipTest as skip:
                answer(skip=str(skip))
                continue
            except BaseException as error:  # noqa: BLE001 - SystemExit from a page, a timeout: reported
                line = request["block"]["line"] if request["op"] == "block" else 1
                stopped = f"{type(error).__name__}: {error}"
                message = f"{where(run.path, line, run.root)}: the block stopped the page: {stopped}"
            finally:
                signal.alarm(0)
            answer(message=message, warnings=[_warning(w) for w in caught], printed=run.printed)
    finally:
        run.teardown(run.namespace)
    answer(bye=True)
    return 0


def _warning(w: warnings.WarningMessage) -> dict:
    category = w.category
    return {
        "message": str(w.message),
        "category": f"{category.__module__}.{category.__qualname__}",
        "filename": w.filename,
        "lineno": w.lineno,
    }


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
            [sys.executable, "-I", "-c", SERVER],
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

    def run_block(self, block: Block) -> str | None:
        """The runner's message for ``block`` (``None``: it passed); raises SkipTest for a skip."""
        if self.page is None:
            raise PageGone("the page's process is gone: an earlier block ended it")
        answer = self._send(op="block", block=dataclasses.asdict(block))
        if "skip" in answer:
            import unittest

            raise unittest.SkipTest(answer["skip"])
        _reissue(answer.get("warnings", []))
        self.printed = answer.get("printed", "")
        return answer["message"]

    def check_figures(self) -> str | None:
        if self.page is None:
            raise PageGone("the page's process is gone: an earlier block ended it")
        answer = self._send(op="figures")
        _reissue(answer.get("warnings", []))
        return answer["message"]

    def run_page(
        self, path: Path, root: Path, blocks: list[Block], printed: list | None = None
    ) -> tuple[list[str], int, int]:
        """Run a whole page (or lab) block by block, as the pytest plugin does one test at a time.

        Returns the failure messages (``file:line: ...``), the number of blocks run and skipped.
        ``printed``, if given, gets what each block printed (``None``: skipped or failed).
        """
        found: list[str] = []
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
                    message = self.run_block(block)
                except PageGone as gone:
                    found.append(f"{where(path, block.line, root)}: {gone}")
                    return found, ran, skipped
                ran += 1
                if message:
                    found.append(message)
                if printed is not None:
                    printed.append(None if message else self.printed)
            if makes_figures(blocks):
                message = self.check_figures()
                if message:
                    found.append(message)
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
