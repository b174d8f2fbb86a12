"""Data-parallel training: two CPU processes (gloo, 127.0.0.1) end with the same weights as one
process that sees the same global batches; ``torchrun -m nnref train`` runs end to end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from nnref.train import cleanup_distributed, distributed_loader, fit, wrap_ddp
from nnref_docs.paths import DOCS

pytestmark = [pytest.mark.spread, pytest.mark.long]  # each test starts its own processes

N, GLOBAL_BATCH, EPOCHS, SEED = 64, 16, 3, 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parts():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(N, 4, generator=g)
    y = (x.sum(dim=1) > 0).long()
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    data = TensorDataset(x, y)
    return model, DataLoader(data, batch_size=GLOBAL_BATCH), DataLoader(data, batch_size=N)


def single_process() -> dict:
    model, loader, val = parts()
    # one replica of the same sampler: the same permutation (seed + epoch) the two ranks share
    sampler = DistributedSampler(loader.dataset, num_replicas=1, rank=0, shuffle=True, seed=SEED)
    train = DataLoader(loader.dataset, batch_size=GLOBAL_BATCH, sampler=sampler)
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    fit(model, train, val, nn.CrossEntropyLoss(), opt, EPOCHS, progress=False, device="cpu")
    return model.state_dict()


def worker(rank: int, world_size: int, port: int, out: str) -> None:
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    try:
        model, loader, val = parts()
        opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        ddp = wrap_ddp(model, torch.device("cpu"))
        train = distributed_loader(loader, seed=SEED)  # per-rank batch GLOBAL_BATCH // 2
        assert train.batch_size == GLOBAL_BATCH // world_size
        history = fit(ddp, train, val, nn.CrossEntropyLoss(), opt, EPOCHS, progress=False, device="cpu")
        torch.save({"state": model.state_dict(), "train_loss": history.train_loss}, f"{out}/rank{rank}.pt")
    finally:
        cleanup_distributed()


def test_two_processes_match_one_process(tmp_path):
    # forked, as DataLoader's workers are, and one thread each (worker): the two processes start
    # from this one's imports instead of importing torch again (3 CPU-s instead of 9, measured)
    mp.start_processes(worker, args=(2, free_port(), str(tmp_path)), nprocs=2, join=True, start_method="fork")
    expected = single_process()
    results = [torch.load(tmp_path / f"rank{r}.pt") for r in range(2)]
    for result in results:
        for name, value in expected.items():
            torch.testing.assert_close(result["state"][name], value, rtol=1e-5, atol=1e-6)
    assert results[0]["train_loss"] == results[1]["train_loss"]  # logged loss is the global mean


def test_sampler_shards_are_disjoint_and_cover_the_epoch():
    data = TensorDataset(torch.arange(N))
    loader = DataLoader(data, batch_size=GLOBAL_BATCH)
    shards = []
    for rank in range(2):
        dl = distributed_loader(loader, world_size=2, rank=rank, seed=SEED)
        dl.sampler.set_epoch(1)
        shards.append([int(i) for i in dl.sampler])
    assert set(shards[0]).isdisjoint(shards[1]) and sorted(shards[0] + shards[1]) == list(range(N))
    dl.sampler.set_epoch(2)
    assert [int(i) for i in dl.sampler] != shards[1]  # set_epoch gives a new shuffle
    with pytest.raises(ValueError, match="divisible"):
        distributed_loader(DataLoader(data, batch_size=15), world_size=2, rank=0)


@pytest.mark.slow
def test_torchrun_cli_end_to_end(tmp_path):
    torchrun = Path(sys.executable).with_name("torchrun")
    if not torchrun.exists():
        torchrun = shutil.which("torchrun")
    if torchrun is None:
        pytest.skip("torchrun not installed")
    cmd = [
        str(torchrun),
        "--nproc-per-node=2",
        "--master-addr=127.0.0.1",
        f"--master-port={free_port()}",
        "-m",
        "nnref",
        "train",
        "digits",
        "--device",
        "cpu",
        "--no-progress",
    ]
    # own process group, so that on a timeout the workers die with torchrun instead of lingering
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("torchrun did not finish within 120 s")
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("digits:")]
    assert len(lines) == 1 and "2 processes" in lines[0], result.stdout  # rank 0 alone reports
    # the result line the distributed page shows, its timing aside
    seconds = re.compile(r"\(\d+(\.\d+)? s,")
    for lang in ("ko", "en"):
        page = (DOCS / "06-training" / f"distributed.{lang}.md").read_text()
        shown = re.search(r"^```console\n(digits:.*)$", page, re.M).group(1)
        assert seconds.sub("(… s,", shown) == seconds.sub("(… s,", lines[0]), (shown, lines[0])
