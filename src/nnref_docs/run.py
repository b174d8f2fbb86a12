"""Run a page's blocks in one namespace and say, as ``docs/<page>.md:<line>``, what went wrong.

:meth:`PageRun.find_block` returns ``None`` when a block passes and a
:class:`~nnref_docs.findings.Finding` when it does not; :meth:`PageRun.figure_findings` gives one
per figure that differs. :meth:`PageRun.run_block` and :meth:`PageRun.check_figures` are the same
worded as Sybil's evaluators want them (``None`` or the findings' text). A block marked to skip
raises ``unittest.SkipTest`` (with the block's place and the reason) instead of running; an error
of the block itself becomes its finding, so no traceback from the harness reaches the reader of a
test report.
"""

from __future__ import annotations

import doctest
import io
import os
import shutil
import tempfile
import traceback
import unittest
from contextlib import redirect_stdout
from pathlib import Path

from .compare import NoiseTolerantChecker, check_output
from .figures import compare_figures, figure_fix, savefig_line
from .findings import Finding, shown_path
from .parse import Block

SEED = 0
FIGURE_SUFFIXES = {".svg", ".png"}
UPDATE_FIGURES = os.environ.get("NNREF_UPDATE_FIGURES") == "1"


def seed_code(torch_too: bool, seed: int = SEED) -> str:
    """The one seeding recipe, as the Python a reader would write: Python's, NumPy's and (with
    ``torch_too``) PyTorch's generators seeded with ``seed``, and PyTorch's thread count set from
    ``NNREF_TORCH_THREADS`` when the code runs (one thread unless it says a number, or ``default``
    for torch's own count). :func:`seed_everything` runs it before each page, and the page's
    script and notebook (:mod:`.export`) start with it.

    One thread because small models run faster without thread overhead on a 2-core machine; pages
    must print the same at other counts, which ``make check`` and ``make test-portable`` try
    (:mod:`.portable`)."""
    imports = ["import os", "import random", "", "import numpy as np", "import torch"]
    lines = imports if torch_too else ["import random", "", "import numpy as np"]
    lines += ["", f"random.seed({seed})", f"np.random.seed({seed})"]
    if torch_too:
        lines += [
            f"torch.manual_seed({seed})",
            "# one PyTorch thread, as the docs' tests run (NNREF_TORCH_THREADS=3: three; =default: torch's own)",
            'if os.environ.get("NNREF_TORCH_THREADS", "1") != "default":',
            '    torch.set_num_threads(int(os.environ.get("NNREF_TORCH_THREADS", "1")))',
        ]
    return "\n".join(lines) + "\n"


def seed_everything(seed: int = SEED, torch_too: bool = True) -> None:
    """Run :func:`seed_code` here, in a namespace of its own (nothing of it reaches a page)."""
    exec(compile(seed_code(torch_too, seed), "<nnref_docs seed>", "exec"), {})


class PageRun:
    """State for one page: its namespace, its scratch directory, the figures it wrote."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = Path(path).resolve()
        self.root = root
        self.namespace: dict = {}
        self.workdir: Path | None = None
        self.old_cwd: str | None = None
        self.printed = ""  # what the last code block printed, when it passed (a lab page shows it)

    # lifecycle -------------------------------------------------------------------------
    def setup(self, namespace: dict) -> None:
        os.environ.setdefault("MPLBACKEND", "Agg")
        os.environ["SOURCE_DATE_EPOCH"] = "0"  # matplotlib writes no date into SVGs
        self.namespace = namespace
        namespace["__name__"] = "__main__"
        namespace["__file__"] = str(self.path)
        self.old_cwd = os.getcwd()
        self.workdir = Path(tempfile.mkdtemp(prefix="nnref-page-"))
        os.chdir(self.workdir)
        try:
            import matplotlib

            matplotlib.rcParams.update(matplotlib.rcParamsDefault)
            matplotlib.rcParams["svg.hashsalt"] = "nnref"
        except ImportError:
            pass
        # importing torch costs seconds: seed it only on pages that use it
        seed_everything(torch_too="torch" in self.path.read_text(encoding="utf-8"))

    def teardown(self, namespace: dict) -> None:
        try:
            import matplotlib.pyplot as plt

            plt.close("all")
        except ImportError:
            pass
        if self.old_cwd is not None:
            os.chdir(self.old_cwd)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # evaluators --------------------------------------------------------------------------
    def finding(self, line: int, message: str) -> Finding:
        """A finding at ``line`` of this page, named relative to the root."""
        return Finding.at(self.path, line, message, self.root)

    def run_block(self, block: Block) -> str | None:
        """:meth:`find_block` as Sybil's evaluator words it: ``None``, or the finding's text."""
        found = self.find_block(block)
        return None if found is None else str(found)

    def find_block(self, block: Block) -> Finding | None:
        """Run ``block`` in the page's namespace: ``None`` when it passes, else its finding; raises
        ``unittest.SkipTest`` for a block marked to skip."""
        if block.skip_reason is not None:
            raise unittest.SkipTest(str(self.finding(block.line, block.skip_reason)))
        if block.kind == "doctest":
            return self._run_doctest(block)
        return self._run_code(block)

    def _run_code(self, block: Block) -> Finding | None:
        self.printed = ""
        try:
            code = compile("\n" * (block.source_line - 1) + block.source, str(self.path), "exec")
        except SyntaxError as error:
            return self.finding(error.lineno or block.line, f"SyntaxError: {error.msg}")
        printed = io.StringIO()
        try:
            with redirect_stdout(printed):
                exec(code, self.namespace)
        except Exception as error:  # noqa: BLE001 - reported to the page author
            return self._describe_exception(block.line, error, printed.getvalue())
        self.printed = printed.getvalue()
        if block.expected is None:
            return None
        diff = check_output(
            block.expected,
            printed.getvalue(),
            block.tolerance,
            fromfile=f"expected ({shown_path(self.path, self.root)}:{block.expected_line})",
        )
        if diff is None:
            return None
        return self.finding(
            block.line, f"what the code printed differs from the text block at line {block.expected_line}\n{diff}"
        )

    def _describe_exception(self, line: int, error: BaseException, printed: str) -> Finding:
        """The finding for a block (at ``line``) that raised ``error``: the page's frames, the
        innermost frame outside the page and the toolkit, and the last lines it printed."""
        frames = traceback.extract_tb(error.__traceback__)
        page_frames = [f for f in frames if f.filename == str(self.path)]
        lines = [f"the block raised {type(error).__name__}: {error}"]
        shown = shown_path(self.path, self.root)
        for frame in page_frames:
            lines.append(f"  {shown}:{frame.lineno}: {frame.line}")
        inner = [f for f in frames if f.filename != str(self.path) and "nnref_docs" not in f.filename][-1:]
        for frame in inner:
            lines.append(f"  (inside {frame.filename}:{frame.lineno}: {frame.line})")
        if printed.strip():
            lines.append("printed before the error:")
            lines.extend("  " + row for row in printed.rstrip().splitlines()[-10:])
        return self.finding(line, "\n".join(lines))

    def _run_doctest(self, block: Block) -> Finding | None:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.source, {}, self.path.name, str(self.path), block.source_line - 1)
        test.globs = self.namespace
        report = io.StringIO()
        runner = doctest.DocTestRunner(checker=NoiseTolerantChecker(block.tolerance), optionflags=doctest.ELLIPSIS)
        runner.run(test, out=report.write, clear_globs=False)
        if runner.failures == 0:
            return None
        detail = report.getvalue().replace(str(self.path), shown_path(self.path, self.root))
        return self.finding(block.line, f"{runner.failures} doctest example(s) failed\n{detail.rstrip()}")

    # figures -----------------------------------------------------------------------------
    def check_figures(self) -> str | None:
        """:meth:`figure_findings` as Sybil's evaluator words it: ``None``, or the findings' text,
        one per line."""
        return "\n".join(str(found) for found in self.figure_findings()) or None

    def figure_findings(self) -> list[Finding]:
        """Each figure the page wrote must show what the file beside the page shows (``make figures``
        rewrites them); see :mod:`.figures` for what "shows the same" means. A finding per figure, at
        the line of the page that saves it, with what will fix it (:func:`.figures.figure_fix`)."""
        assert self.workdir is not None
        problems = []
        for made in sorted(self.workdir.iterdir()):
            if made.suffix not in FIGURE_SUFFIXES:
                continue
            shipped = self.path.parent / made.name
            problem = compare_figures(shipped, made) if shipped.exists() else "missing beside the page"
            if problem is None:
                continue
            if UPDATE_FIGURES:  # a figure that only differs by noise is left as it is: no churn
                shutil.copyfile(made, shipped)
            else:
                problems.append(
                    (made.name, problem if shipped.exists() else f"{made.name} is made by the page but {problem}")
                )
        if not problems:
            return []
        text, fix = self.path.read_text(encoding="utf-8"), figure_fix(self.path, self.root)
        return [self.finding(savefig_line(text, name), f"{problem} ({fix})") for name, problem in problems]
