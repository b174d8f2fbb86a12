"""The ``close`` fixture of tests/conftest.py: a result outside its tolerance fails the test that
produced it, and the worst error within tolerance is printed at the end of the run, per check."""

from pathlib import Path

import numpy as np
import pytest

CONFTEST = Path(__file__).parents[1] / "conftest.py"  # tests/conftest.py


def test_a_result_outside_its_tolerance_fails_and_is_not_recorded(close):
    before = list(close.pending)
    with pytest.raises(AssertionError, match="outside"):
        close("outside", np.array([1.0]), np.array([1.0 + 1e-6]))
    with pytest.raises(AssertionError, match="float32 != float64"):
        close("dtype", np.zeros(2, np.float32), np.zeros(2), "float64", rtol=1e-5, atol=1e-5)
    assert close.pending == before
    close("inside", np.array([1.0]), np.array([1.0 + 1e-13]))
    assert close.pending[-1][:2] == ("inside", "float64")
    close.pending.pop()  # not a real check: keep it out of this run's summary


def test_the_run_prints_the_worst_error_per_check_and_fails_a_test_past_its_tolerance(pytester):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(
        test_ops="""
        import numpy as np

        def test_near(close):
            close("square", np.array([4.0]), np.array([4.0 + 2e-12]), atol=1e-11)
            close("square", np.array([9.0]), np.array([9.0 + 5e-12]), atol=1e-11)

        def test_far(close):
            close("cube", np.array([8.0]), np.array([8.5]))
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*worst |ours - torch| per check*", "test_ops.py*square*float64*5.0e-12"])
    # the table only (the failure summary below it names "cube" too, in full where CI is set)
    table = result.stdout.str().split("per check")[-1].split("\n=")[0]
    assert "square" in table and "cube" not in table
