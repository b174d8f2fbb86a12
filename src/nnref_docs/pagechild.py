"""The child end of the page server (:mod:`.pageserver` is the parent end): run as ``python -I -m
nnref_docs.pagechild`` in an empty folder, it imports what the pages import once (:func:`warm_up`),
then reads one JSON request per line on stdin. A request that names a page (``{"path": ..., "root":
...}``) forks a child that runs that page (:func:`serve_page`) and answers its requests until
``end``, each answered with its findings as plain data; when the child has exited, this process
writes ``{"exit": status}``. Requests and answers go strictly in turn, so this process never reads
a line meant for a child.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import warnings
from pathlib import Path

from .parse import Block

BLOCK_TIMEOUT_S = 600


def main() -> None:
    """Warm up, then fork a child per page request and report its exit status."""
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
                        found = [run.find_block(Block(**request["block"]))]
                    else:
                        found = run.figure_findings()
            except unittest.SkipTest as skip:
                answer(skip=str(skip))
                continue
            except BaseException as error:  # noqa: BLE001 - SystemExit from a page, a timeout: reported
                line = request["block"]["line"] if request["op"] == "block" else 1
                found = [run.finding(line, f"the block stopped the page: {type(error).__name__}: {error}")]
            finally:
                signal.alarm(0)
            findings = [dataclasses.asdict(f) for f in found if f is not None]
            answer(findings=findings, warnings=[_warning(w) for w in caught], printed=run.printed)
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


if __name__ == "__main__":
    main()
