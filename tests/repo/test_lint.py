"""The code follows the project's ruff rules and ruff's formatting (pyproject.toml), so style never
needs a review round: `make lint` checks both, `make format` applies the formatting."""

import subprocess
import sys

import pytest

from nnref_docs.paths import ROOT

LINTED = ["src", "tests", "hooks", "tools"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["rules", "format"])
def test_ruff_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *LINTED], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_the_format_check_can_fail(tmp_path):
    (tmp_path / "ugly.py").write_text("x = [1,2,\n  3]\n")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "ugly.py" in result.stdout
