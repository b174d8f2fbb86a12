"""``python -m nnref train TASK``: exit codes, messages, the last line, reproducibility."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import torch

from nnref.cli import main

LAST_LINE = re.compile(r"^xor: val accuracy (\d\.\d{3}) after 4 epochs \(\d+\.\d s\)$")


@pytest.fixture(autouse=True)
def keep_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def run_cli(*args):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "nnref", *args], capture_output=True, text=True, env=env, timeout=120)


def test_train_xor_as_a_subprocess():
    result = run_cli("train", "xor", "--epochs", "4", "--device", "cpu")
    assert result.returncode == 0, result.stderr
    assert LAST_LINE.match(result.stdout.splitlines()[-1]), result.stdout
    assert "Traceback" not in result.stderr
    assert "it/s" not in result.stderr and "epoch/s" not in result.stderr  # no bar when not a TTY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "nope"], "unknown task 'nope'; choose one of: xor, digits, sine, vla"),
        (
            ["train", "xor", "--epochs", "-3"],
            "argument --epochs: expected a positive integer, got -3",
        ),
        (["train", "xor", "--epochs", "two"], "expected a positive integer, got 'two'"),
        (["train", "xor", "--seed", "-1"], "argument --seed: expected a non-negative integer"),
        (
            ["train", "xor", "--device", "tpu"],
            "device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got 'tpu'",
        ),
        (["train"], "the following arguments are required: TASK"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_a_clear_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "xor", "--device", "cuda"])
    assert exit_info.value.code == 2
    assert "CUDA is not available" in capsys.readouterr().err


def test_a_broken_task_raises_its_own_error_and_leaves_others_working(monkeypatch):
    from nnref.train import tasks

    def load_missing_module():
        from nnref.train.tasks import no_such_module

        return no_such_module.build

    def load_buggy_build():
        return lambda seed: 1 / 0

    monkeypatch.setitem(tasks.TASKS, "vla", tasks.Task("missing", load_missing_module))
    with pytest.raises(ImportError, match="no_such_module"):
        main(["train", "vla", "--device", "cpu"])
    monkeypatch.setitem(tasks.TASKS, "vla", tasks.Task("buggy", load_buggy_build))
    with pytest.raises(ZeroDivisionError):
        main(["train", "vla", "--device", "cpu"])
    monkeypatch.setitem(tasks.TASKS, "vla", tasks.Task("wrong", lambda: lambda seed: "parts"))
    with pytest.raises(TypeError, match="must return TaskParts, got str"):
        tasks.build_task("vla")
    assert main(["train", "xor", "--epochs", "1", "--device", "cpu", "--no-progress"]) == 0


def test_same_seed_same_result(tmp_path, capsys):
    lines, states = [], []
    for i, seed in enumerate(["3", "3", "4"]):
        path = tmp_path / f"{i}.pt"
        args = [
            "train",
            "xor",
            "--epochs",
            "4",
            "--seed",
            seed,
            "--device",
            "cpu",
            "--checkpoint",
            str(path),
        ]
        assert main(args) == 0
        lines.append(capsys.readouterr().out.splitlines()[-1].split(" after")[0])
        states.append(torch.load(path)["model"])
    assert lines[0] == lines[1]
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])
    assert not all(torch.equal(states[0][k], states[2][k]) for k in states[0])


def test_tasks_lists_every_task(capsys):
    assert main(["tasks"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["xor", "digits", "sine", "vla"]
