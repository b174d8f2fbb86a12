"""A short training/evaluation loop that the pages use and a reader can copy.

A batch is ``(inputs, target)``; ``inputs`` is a tensor, or a tuple of tensors passed to the
model as ``model(*inputs)``. Losses and metrics are averaged over *samples* (each batch weighted
by its size), so the last, smaller batch of an epoch does not count more than it should.

The same loop runs under ``torchrun`` with ``DistributedDataParallel`` (see
:mod:`nnref.train.distributed`): the per-epoch sums are added across processes, the sampler's
``set_epoch`` is called, and only rank 0 draws the progress bar, logs and writes checkpoints.
"""

from __future__ import annotations

import math
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler

from .distributed import is_main_process
from .history import History

__all__ = [
    "accuracy",
    "evaluate",
    "fit",
    "load_checkpoint",
    "r2_score",
    "save_checkpoint",
    "seed_everything",
    "select_device",
    "train_one_epoch",
]

Metric = Callable[[torch.Tensor, torch.Tensor], float]


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and torch (CPU and every GPU) with ``seed``."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def select_device(name: str | torch.device | None = None) -> torch.device:
    """``None``/``"auto"``: CUDA when available, else CPU. ``"cpu"``, ``"cuda"``, ``"cuda:1"``.

    Raises ``ValueError`` for an unknown name or for CUDA on a machine without it.
    """
    if name is None or name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {name!r}") from error
    if device.type == "cpu":
        return device
    if device.type != "cuda":
        raise ValueError(f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {name!r}")
    if not torch.cuda.is_available():
        raise ValueError(f"device {name!r} was requested but CUDA is not available on this machine")
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise ValueError(f"device {name!r}: only {torch.cuda.device_count()} CUDA device(s) here")
    return device


def accuracy(outputs: torch.Tensor, target: torch.Tensor) -> float:
    """Fraction of rows whose largest logit is the target class. ``(B, K)``, ``(B,)`` -> float."""
    return (outputs.argmax(dim=1) == target).float().mean().item()


def r2_score(outputs: torch.Tensor, target: torch.Tensor) -> float:
    """Coefficient of determination ``1 - sum((y - yhat)^2) / sum((y - mean(y))^2)``.

    1 is a perfect fit, 0 is no better than predicting the mean. Shapes: ``(B, ...)`` both.
    """
    target = target.reshape(outputs.shape)
    residual = ((target - outputs) ** 2).sum()
    total = ((target - target.mean()) ** 2).sum()
    return (1 - residual / total).item()


def _to(batch, device: torch.device):
    if isinstance(batch, (tuple, list)):
        return tuple(x.to(device) for x in batch)
    return batch.to(device)


def _forward(model: nn.Module, inputs) -> torch.Tensor:
    return model(*inputs) if isinstance(inputs, tuple) else model(inputs)


def _sum_across_processes(values: list[float], loader: DataLoader) -> list[float]:
    """Add per-process sums when each process saw a different shard of the data."""
    if not (dist.is_initialized() and isinstance(loader.sampler, DistributedSampler)):
        return values
    sums = torch.tensor(values, dtype=torch.float64)
    if dist.get_backend() == "nccl":
        sums = sums.cuda()
    dist.all_reduce(sums)
    return sums.tolist()


def _run_epoch(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable,
    metric: Metric | None,
    device: torch.device | str,
    optimizer: torch.optim.Optimizer | None = None,
) -> tuple[float, float | None]:
    """One pass over ``loader``: with an ``optimizer``, one update per batch. Returns the loss
    (and metric) averaged over samples, added up across processes under DDP."""
    total_loss, total_metric, count = 0.0, 0.0, 0
    for inputs, target in loader:
        inputs, target = _to(inputs, device), target.to(device)
        outputs = _forward(model, inputs)
        loss = loss_fn(outputs, target)
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        n = len(target)
        total_loss += loss.item() * n  # running loss, weighted by batch size
        if metric is not None:
            total_metric += metric(outputs.detach(), target) * n
        count += n
    total_loss, total_metric, count = _sum_across_processes([total_loss, total_metric, count], loader)
    return total_loss / count, (total_metric / count if metric is not None else None)


def train_one_epoch(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable,
    optimizer: torch.optim.Optimizer,
    metric: Metric | None = None,
    device: torch.device | str = "cpu",
) -> tuple[float, float | None]:
    """One pass over ``loader`` in train mode. Returns (mean loss, mean metric or None)."""
    model.train()
    return _run_epoch(model, loader, loss_fn, metric, device, optimizer)


def evaluate(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable,
    metric: Metric | None = None,
    device: torch.device | str = "cpu",
) -> tuple[float, float | None]:
    """Mean loss (and metric) over ``loader`` in eval mode, without building a graph."""
    model.eval()  # dropout off, batch norm uses its running statistics
    with torch.no_grad():  # no graph, no saved activations: less memory, faster
        return _run_epoch(model, loader, loss_fn, metric, device)


def save_checkpoint(model: nn.Module, path: str | os.PathLike, **extra) -> None:
    """Save ``model``'s ``state_dict`` (unwrapped from DDP) plus any ``extra`` entries."""
    model = getattr(model, "module", model)
    torch.save({"model": model.state_dict(), **extra}, Path(path))


def load_checkpoint(model: nn.Module, path: str | os.PathLike, map_location="cpu") -> dict:
    """Load weights saved by :func:`save_checkpoint` into ``model``; return the whole dict."""
    state = torch.load(Path(path), map_location=map_location, weights_only=True)
    getattr(model, "module", model).load_state_dict(state["model"])
    return state


def _progress_bar(epochs: int, enabled: bool):
    from tqdm.auto import tqdm

    show = enabled and is_main_process() and sys.stderr.isatty()
    return tqdm(range(epochs), desc="epochs", unit="epoch", file=sys.stderr, disable=not show, leave=False)


def fit(
    model: nn.Module,
    train_loader: DataLoader,
    val_loader: DataLoader,
    loss_fn: Callable,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    metric: Metric | None = None,
    device: torch.device | str | None = None,
    scheduler=None,
    early_stopping: int | None = None,
    checkpoint: str | os.PathLike | None = None,
    progress: bool = True,
    seed: int | None = None,
    log_every: int | None = None,
    metric_name: str = "metric",
) -> History:
    """Train for ``epochs`` epochs, validating after each one; return the :class:`History`.

    - ``early_stopping=p``: stop when the validation loss has not improved for ``p`` epochs.
    - ``checkpoint=path``: save the state_dict of the epoch with the lowest validation loss.
    - ``scheduler``: stepped once per epoch (``ReduceLROnPlateau`` gets the validation loss).
    - ``seed``: calls :func:`seed_everything` first, which fixes dropout and the shuffling of a
      loader without its own ``generator``; a loader with its own generator (the ``nnref.train.tasks``
      loaders) or a ``DistributedSampler`` shuffles by its own seed, and the weights were drawn when
      the model was built.
    - ``log_every=k``: print one line every ``k`` epochs (rank 0 only).
    - ``device``: ``None`` keeps the model where it is; ``"auto"``, ``"cpu"``, ``"cuda"`` move it.
    """
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative int, got {epochs!r}")
    if early_stopping is not None and early_stopping < 1:
        raise ValueError(f"early_stopping (patience) must be >= 1, got {early_stopping!r}")
    if seed is not None:
        seed_everything(seed)
    if device is None:  # stay where the model is
        device = next(model.parameters(), torch.empty(0)).device
    device = select_device(device)
    model.to(device)
    history = History(metric_name=metric_name if metric is not None else None)
    best, bad_epochs, start = math.inf, 0, time.perf_counter()
    bar = _progress_bar(epochs, progress)
    for epoch in bar:
        if hasattr(train_loader.sampler, "set_epoch"):
            train_loader.sampler.set_epoch(epoch)  # a new shuffle each epoch under DDP
        train_loss, train_metric = train_one_epoch(model, train_loader, loss_fn, optimizer, metric, device)
        val_loss, val_metric = evaluate(model, val_loader, loss_fn, metric, device)
        history.append(train_loss, val_loss, train_metric, val_metric)
        if scheduler is not None:
            is_plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
            scheduler.step(val_loss) if is_plateau else scheduler.step()
        bar.set_postfix(train_loss=f"{train_loss:.4f}", val_loss=f"{val_loss:.4f}")
        if log_every and is_main_process() and ((epoch + 1) % log_every == 0 or epoch == 0):
            print(history.describe(epoch))
        if val_loss < best:
            best, bad_epochs, history.best_epoch = val_loss, 0, epoch
            if checkpoint is not None and is_main_process():
                save_checkpoint(model, checkpoint, epoch=epoch, val_loss=val_loss)
        else:
            bad_epochs += 1
            if early_stopping is not None and bad_epochs >= early_stopping:
                history.stopped_early = True
                break
    bar.close()
    history.seconds = time.perf_counter() - start
    return history
