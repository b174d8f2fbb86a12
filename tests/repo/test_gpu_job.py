"""The optional GPU job checks something true: it requires a device, and the CUDA tests exist."""

import pytest
import yaml

from nnref_docs.paths import ROOT


def gpu_job() -> dict:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    return workflow["jobs"]["gpu"]


def test_the_gpu_job_requires_cuda_and_runs_the_cuda_tests():
    steps = gpu_job()["steps"]
    run = next(step for step in steps if "NNREF_REQUIRE_CUDA" in step.get("env", {}))
    assert run["env"]["NNREF_REQUIRE_CUDA"] == "1"
    assert "pytest" in run["run"] and "not browser" in run["run"]
    assert (ROOT / "tests" / "unit" / "test_cuda.py").exists()


def test_require_cuda_fails_the_run_without_a_device(request, monkeypatch):
    """The suite's own configure hook (conftest.py) stops the run when the GPU job finds no device."""
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the check is for machines without it")
    root_conftest = request.config.pluginmanager.get_plugin(str(ROOT / "conftest.py"))
    assert root_conftest is not None and hasattr(root_conftest, "pytest_configure")
    monkeypatch.setenv("NNREF_REQUIRE_CUDA", "1")
    with pytest.raises(pytest.UsageError, match="NNREF_REQUIRE_CUDA=1, but torch sees no CUDA device"):
        root_conftest.pytest_configure(request.config)
    monkeypatch.setenv("NNREF_REQUIRE_CUDA", "0")
    root_conftest.pytest_configure(request.config)  # without the variable, no device is fine
