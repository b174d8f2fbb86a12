"""Data-parallel training with ``torchrun`` and ``DistributedDataParallel`` (DDP).

``torchrun --nproc-per-node=N script.py`` starts N copies of the script and gives each one the
environment variables ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``.
Each process (a *rank*) holds a full copy of the model and reads its own shard of every epoch
(``DistributedSampler``); after ``backward()`` DDP averages the gradients over all ranks, so every
copy takes the same optimizer step. With a per-rank batch of ``b`` the effective batch is
``N * b``. What changes compared with one process:

1. ``init_process_group`` (``gloo`` on CPU, ``nccl`` on NVIDIA GPUs), one device per rank;
2. the model is wrapped: ``DDP(model)``;
3. the training loader uses a ``DistributedSampler`` and ``sampler.set_epoch(epoch)`` each epoch;
4. only rank 0 prints, draws progress bars and writes checkpoints.
"""

from __future__ import annotations

import os
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

__all__ = [
    "cleanup_distributed",
    "distributed_loader",
    "init_distributed",
    "is_main_process",
    "launched_by_torchrun",
    "wrap_ddp",
]


def launched_by_torchrun() -> bool:
    """True in a process started by ``torchrun`` (it sets ``WORLD_SIZE``)."""
    return "WORLD_SIZE" in os.environ and "RANK" in os.environ


def init_distributed(device: torch.device) -> tuple[int, int, torch.device]:
    """Join the process group described by torchrun's environment variables.

    Returns ``(rank, world_size, device)``; on CUDA each rank takes GPU ``LOCAL_RANK``.
    """
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    if device.type == "cuda":
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return dist.get_rank(), dist.get_world_size(), device


def cleanup_distributed() -> None:
    """Wait for every rank, then leave the process group.

    The barrier lets every rank finish its collectives before any rank tears its group down.
    The short sleep works around a deadlock seen with torch 2.13 and gloo: after the barrier,
    gloo's worker thread still frees the last collectives' tensors, which needs the GIL; if
    this thread meanwhile destroys the group (joining that worker) while holding the GIL,
    neither can go on. Sleeping releases the GIL and lets the worker finish first.
    """
    if dist.is_initialized():
        dist.barrier()
        time.sleep(0.1)  # release the GIL so gloo's worker threads can finish (see above)
        dist.destroy_process_group()


def is_main_process() -> bool:
    """Rank 0, or a plain single-process run."""
    return not dist.is_initialized() or dist.get_rank() == 0


def wrap_ddp(model: nn.Module, device: torch.device) -> DistributedDataParallel:
    """Move ``model`` to ``device`` and wrap it; DDP broadcasts rank 0's weights to all ranks."""
    model.to(device)
    return DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)


def distributed_loader(
    loader: DataLoader,
    world_size: int | None = None,
    rank: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    per_rank_batch_size: int | None = None,
) -> DataLoader:
    """The same dataset, sharded: rank ``r`` reads positions ``r, r + N, r + 2N, ...`` of a
    permutation that depends on ``seed + epoch`` (same on every rank).

    ``per_rank_batch_size`` defaults to ``loader.batch_size // world_size``, which keeps the
    effective (global) batch size of the single-process run.
    """
    world_size = dist.get_world_size() if world_size is None else world_size
    rank = dist.get_rank() if rank is None else rank
    if per_rank_batch_size is None:
        if loader.batch_size % world_size:
            raise ValueError(
                f"batch_size {loader.batch_size} is not divisible by world_size {world_size}; pass per_rank_batch_size"
            )
        per_rank_batch_size = loader.batch_size // world_size
    sampler = DistributedSampler(loader.dataset, num_replicas=world_size, rank=rank, shuffle=shuffle, seed=seed)
    return DataLoader(
        loader.dataset,
        batch_size=per_rank_batch_size,
        sampler=sampler,
        collate_fn=loader.collate_fn,
    )
