"""The optional GPU job checks something true: it requires a device, and the CUDA tests exist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def gpu_job() -> dict:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    return workflow["jobs"]["gpu"]


def test_the_gpu_job_requires_cuda_and_runs_the_cuda_tests():
    steps = gpu_job()["steps"]
    run = next(step for step in steps if "NNREF_REQUIRE_CUDA" in step.get("env", {}))
    assert run["env"]["NNREF_REQUIRE_CUDA"] == "1"
    assert "pytest" in run["run"] and "not browser" in run["run"]
    assert (ROOT / "tests" / "test_cuda.py").exists()


def test_require_cuda_fails_the_run_without_a_device():
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the check is for machines without it")
    env = dict(os.environ, NNREF_REQUIRE_CUDA="1")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "tests/test_gpu_job.py::test_the_gpu_job_requires_cuda_and_runs_the_cuda_tests",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "NNREF_REQUIRE_CUDA=1, but torch sees no CUDA device" in result.stdout + result.stderr
