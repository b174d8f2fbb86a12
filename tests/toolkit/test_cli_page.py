"""The command-line page shows terminal sessions (```console): each one is re-run here and its
lines compared with what the command prints now, the timing in seconds aside."""

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from nnref.cli import main
from nnref_docs.compare import lines_match
from nnref_docs.paths import ROOT

PAGES = [ROOT / "docs" / "06-training" / f"cli.{lang}.md" for lang in ("ko", "en")]
CONSOLE = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
SECONDS = re.compile(r"\(\d+(\.\d+)? s\)")


def sessions(path: Path):
    """(argv, shown lines) for every `$ python -m nnref ...` prompt on the page."""
    for block in CONSOLE.findall(path.read_text(encoding="utf-8")):
        argv, shown = None, []
        for line in block.splitlines() + ["$ end"]:
            if line.startswith("$ "):
                if argv is not None:
                    yield argv, shown
                command = shlex.split(line[2:].split("#")[0])
                argv = command[3:] if command[:3] == ["python", "-m", "nnref"] else None
                shown = []
            else:
                shown.append(line)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit:
            pass
    return out.getvalue(), err.getvalue()


CASES = sorted({(tuple(a), tuple(s)) for page in PAGES for a, s in sessions(page)})


def test_the_page_shows_sessions():
    assert len(CASES) >= 7


@pytest.mark.parametrize(("argv", "shown"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_console_session_matches_the_cli(argv, shown):
    if "--device" in argv and "cuda" in argv:
        import torch

        if torch.cuda.is_available():
            pytest.skip("this session shows a machine without CUDA")
    out, err = run(list(argv))
    printed = [SECONDS.sub("(… s)", line) for line in (out + err).splitlines() if line.strip()]
    for line in shown:
        if line.startswith("usage:"):
            continue  # the page abbreviates argparse's usage line
        # the harness's rule for output: decimals up to one unit in the last digit, the rest exactly
        line = SECONDS.sub("(… s)", line)
        assert any(lines_match(line, p, 1) for p in printed), (
            f"{' '.join(argv)}: page shows {line!r}, CLI printed {printed}"
        )
