"""nnref installs from a wheel into a fresh environment, its torch-free parts work there without
PyTorch, and the command line says what to install when PyTorch is missing.

Nothing is downloaded: the wheel is built from a copy of the sources with the venv's setuptools,
and the fresh venv sees NumPy, and only NumPy, through a ``.pth`` file pointing at a folder that
holds links to this venv's NumPy.

One test does download, and takes minutes: it installs the wheel into a fresh venv with the line
at the top of every download (``nnref_docs.export.INSTALL_COMMAND``, ``-c constraints.txt`` added),
and runs downloaded scripts there, plotting ones included. ``make test`` skips it; CI runs it on
its own with ``NNREF_INSTALL_TEST=all``: every page's script and every lab's ``.py`` (``=1`` runs a
sample of five page scripts).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from nnref.cli import INSTALL_COMMAND
from nnref_docs.export import INSTALL_COMMAND as DOWNLOADS_INSTALL_COMMAND
from nnref_docs.export import INSTALL_EXTRA
from nnref_docs.paths import ROOT

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))} | {
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
}


def run(*args, cwd=None, check=True, timeout=300, env=None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        pytest.fail(f"{shlex.join(map(str, args))} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """nnref's wheel, built offline from a copy of the sources (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("nnref-src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("wheels")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, src)
    (built,) = out.glob("nnref-*.whl")
    return built


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory, wheel) -> Path:
    """A fresh venv (no system site packages) with NumPy and the nnref wheel, and no torch."""
    home = tmp_path_factory.mktemp("bare")
    run(sys.executable, "-m", "venv", "--without-pip", home / "venv")
    python = home / "venv" / "bin" / "python"
    numpy_only = home / "numpy-only"
    numpy_only.mkdir()
    import numpy

    numpy_dir = Path(numpy.__file__).parent
    for entry in numpy_dir.parent.iterdir():
        if entry.name == "numpy" or entry.name.startswith(("numpy.libs", "numpy-")):
            (numpy_only / entry.name).symlink_to(entry)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    Path(purelib, "numpy_only.pth").write_text(f"{numpy_only}\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--find-links", wheel.parent, "nnref")
    return python


@pytest.mark.slow
def test_wheel_holds_the_package_data_and_the_torch_pin(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for module in ("autograd", "scratch", "models", "data", "train"):
        assert f"nnref/{module}/__init__.py" in names
    assert "nnref/py.typed" in names
    assert any(n.startswith("nnref/data/") and n.endswith(".npz") for n in names), "shipped datasets missing"
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines() if "Requires-Dist" in line]
    assert any(line.startswith("Requires-Dist: torch==2.13.0") and 'extra == "torch"' in line for line in requires)
    assert any(line.startswith("Requires-Dist: numpy") and "extra" not in line for line in requires)
    # the downloads' extra takes torch (and its pin) from the torch extra
    assert f'Requires-Dist: nnref[torch]; extra == "{INSTALL_EXTRA}"' in requires


@pytest.mark.slow
def test_torch_free_parts_work_in_a_fresh_venv_without_torch(bare_python, tmp_path):
    code = """
import importlib.util, sys
import numpy as np
from nnref.autograd import MLP, Value
from nnref.scratch import numerical_gradient
x = Value(0.3)
y = (x * x + 3 * x).tanh()
y.backward()
grad = numerical_gradient(lambda v: float(np.tanh(v[0] ** 2 + 3 * v[0])), np.array([0.3]))
print(f"{x.grad:.6e} {grad[0]:.6e}")
print(len(MLP(2, [3, 1]).parameters()))
print("torch" in sys.modules, importlib.util.find_spec("torch") is None)
"""
    result = run(bare_python, "-I", "-c", code, cwd=tmp_path)
    dy, numeric = result.stdout.splitlines()[0].split()
    assert abs(float(dy) - float(numeric)) < 1e-7 * abs(float(dy))
    assert result.stdout.splitlines()[1:] == ["13", "False True"]
    location = run(bare_python, "-I", "-c", "import nnref; print(nnref.__file__)").stdout
    assert str(ROOT) not in location, "the fresh venv imported the checkout, not the wheel"


@pytest.mark.slow
@pytest.mark.parametrize("command", [["-m", "nnref"], []], ids=["python -m nnref", "nnref script"])
def test_cli_without_torch_says_what_to_install(bare_python, tmp_path, command):
    program = [bare_python, "-I", *command] if command else [bare_python.parent / "nnref"]
    result = run(*program, "train", "xor", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and INSTALL_COMMAND in result.stderr, result.stderr


def test_cli_with_torch_hidden_says_what_to_install(tmp_path):
    code = "import sys; sys.modules['torch'] = None; from nnref.cli import main; sys.exit(main(['train', 'xor']))"
    result = run(sys.executable, "-c", code, cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: `python -m nnref train` needs torch")
    assert INSTALL_COMMAND in result.stderr


INSTALL_LINES = [(INSTALL_COMMAND, "torch"), (DOWNLOADS_INSTALL_COMMAND, INSTALL_EXTRA)]


@pytest.mark.parametrize(("line", "extra"), INSTALL_LINES, ids=["command line", "downloads"])
def test_install_command_names_this_repository_and_the_cpu_wheels(line, extra):
    words = shlex.split(line)
    assert words[:2] == ["pip", "install"]
    requirement = Requirement(words[2])
    assert requirement.name == "nnref" and requirement.extras == {extra}
    repo_url = next(
        line.split(":", 1)[1].strip()
        for line in (ROOT / "mkdocs.yml").read_text().splitlines()
        if line.startswith("repo_url:")
    )
    assert requirement.url == f"git+{repo_url}"
    assert words[3:] == ["--extra-index-url", "https://download.pytorch.org/whl/cpu"]


@pytest.mark.slow
@pytest.mark.parametrize(("line", "extra"), INSTALL_LINES, ids=["command line", "downloads"])
def test_pip_accepts_the_install_command(wheel, tmp_path, line, extra):
    """The line as pip reads it, with the repository swapped for the local wheel (no network)."""
    words = shlex.split(line)
    words[2] = words[2].replace(Requirement(words[2]).url, wheel.as_uri())
    run(
        sys.executable,
        "-m",
        *words,
        "--dry-run",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
        "--report",
        tmp_path / "report.json",
        cwd=tmp_path,
    )
    (item,) = json.loads((tmp_path / "report.json").read_text())["install"]
    assert item["metadata"]["name"] == "nnref" and item["requested_extras"] == [extra]


# the downloads' install line, for real ---------------------------------------------------------

INSTALL_TEST = os.environ.get("NNREF_INSTALL_TEST", "")
# downloads that run in the fresh venv: SymPy and a figure; NumPy only and a figure; a training loop
# with tqdm and a figure; the three checkpoints of 06-training; a CNN with two figures
SAMPLE = [
    "02-backprop/autodiff-modes.ko.md",
    "01-foundations/activations.en.md",
    "06-training/loop.en.md",
    "06-training/checkpoints.ko.md",
    "04-cnn/train-digits.en.md",
]


def reachable(url: str) -> bool:
    """Whether ``url``'s host resolves (a machine that reaches only PyPI does not resolve the
    PyTorch index, and pip would retry it for every package, for minutes)."""
    import socket
    from urllib.parse import urlsplit

    try:
        socket.getaddrinfo(urlsplit(url).hostname, 443)
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def downloads_python(tmp_path_factory, wheel) -> Path:
    """A fresh venv with what the downloads' install line installs, from the built wheel.

    The line as the download gives it, with the repository swapped for the wheel and
    ``-c constraints.txt`` added (so torch is the pinned CPU build, and nothing else moves). Its
    ``--extra-index-url`` stays where its host resolves; where it does not, pip's own configuration
    has to provide torch's CPU wheel (this machine's has it on disk).
    """
    home = tmp_path_factory.mktemp("downloads")
    run(sys.executable, "-m", "venv", "--without-pip", home / "venv")
    python = home / "venv" / "bin" / "python"
    words = shlex.split(DOWNLOADS_INSTALL_COMMAND)
    words[2] = words[2].replace(Requirement(words[2]).url, wheel.as_uri())
    index = words.index("--extra-index-url")
    if not reachable(words[index + 1]):
        del words[index : index + 2]
    # pip's settings from the environment stay (CI names the PyTorch index there, this machine its
    # wheel folder); the test's ENV drops them for the offline tests above
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        *words[1:],
        "-c",
        ROOT / "constraints.txt",
        timeout=1500,
        env=env,
    )
    return python


def sample() -> list[str]:
    if INSTALL_TEST != "all":
        return SAMPLE
    from test_downloads import PAGES

    return [page.relative_to(ROOT / "docs").as_posix() for page in PAGES]


@pytest.mark.slow
@pytest.mark.skipif(
    INSTALL_TEST not in ("1", "all"), reason="installs torch into a fresh venv (minutes): NNREF_INSTALL_TEST=1"
)
def test_downloaded_scripts_run_in_a_fresh_venv_with_the_install_line(downloads_python, tmp_path):
    """Each script prints what its page shows and writes the files its header names."""
    from test_downloads import code_of, header_names_the_files, problems, run_script

    imports = (
        "import matplotlib, sympy, torch, tqdm, nnref; print(torch.__version__, torch.version.cuda, nnref.__file__)"
    )
    version, cuda, location = run(downloads_python, "-I", "-c", imports, cwd=tmp_path).stdout.split()
    assert version.startswith("2.13.0") and cuda == "None", f"torch {version} (CUDA {cuda}), not the pinned CPU build"
    assert str(ROOT) not in location, "the fresh venv imported the checkout, not the wheel"
    found = []
    for name in sample():
        page, folder = ROOT / "docs" / name, tmp_path / name.replace("/", "-")
        code = code_of(page)
        folder.mkdir()
        script = folder / "page.py"
        result = run_script(code, script, folder / "work", python=downloads_python)
        found += problems(page, code, result, script) + header_names_the_files(code, folder / "work", page)
    assert not found, "\n\n".join(found)


@pytest.mark.slow
@pytest.mark.skipif(INSTALL_TEST != "all", reason="every lab in a fresh venv (minutes): NNREF_INSTALL_TEST=all")
def test_downloaded_lab_scripts_run_in_a_fresh_venv_with_the_install_line(downloads_python, tmp_path):
    """A lab's ``.py`` download is its jupytext source: run top to bottom as a script, it passes its
    own checks (the ``assert`` cells) with only what the install line installed."""
    labs = sorted((ROOT / "docs" / "labs").glob("*.py"))
    assert len(labs) == 14
    failed = []
    for lab in labs:
        folder = tmp_path / lab.stem
        folder.mkdir()
        script = folder / lab.name
        script.write_text(lab.read_text(encoding="utf-8"), encoding="utf-8")
        env = {**ENV, "MPLBACKEND": "Agg"}
        result = run(downloads_python, "-I", script, cwd=folder, check=False, timeout=600, env=env)
        if result.returncode != 0:
            failed.append(f"{lab.name} exited {result.returncode}\n{result.stderr[-2000:]}")
    assert not failed, "\n\n".join(failed)
