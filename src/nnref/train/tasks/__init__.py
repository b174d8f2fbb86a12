"""Named training tasks for ``python -m nnref train TASK`` and the pages.

A task module (``xor.py``, ``digits.py``, ``sine.py``, ``vla.py``) defines
``build(seed) -> TaskParts``.
Batches from the loaders are ``(inputs, target)``; ``inputs`` is a tensor, or a tuple of tensors
that the loop passes to the model as ``model(*inputs)``.

Task modules are imported only when asked for (:func:`build_task`), so a task whose module is
missing or broken does not stop the others from running.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

__all__ = ["TASKS", "TaskParts", "available_tasks", "build_task", "tensor_loaders"]


@dataclass
class TaskParts:
    model: nn.Module
    train_loader: DataLoader
    val_loader: DataLoader
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    optimizer: torch.optim.Optimizer
    metric: Callable[[torch.Tensor, torch.Tensor], float]  # (outputs, targets) -> higher is better
    metric_name: str  # e.g. "accuracy", "success rate"
    epochs: int  # a default that reaches the stated metric on a 2-core CPU


# name -> (module, one-line description); modules are imported lazily
TASKS: dict[str, tuple[str, str]] = {
    "xor": ("nnref.train.tasks.xor", "2-D XOR blobs, MLP 2-8-2 (classification)"),
    "digits": ("nnref.train.tasks.digits", "8x8 handwritten digits, MLP 64-64-10 (classification)"),
    "sine": ("nnref.train.tasks.sine", "next value of a noisy sine wave, GRU (regression)"),
    "vla": ("nnref.train.tasks.vla", "toy vision-language-action policy (chapter 7)"),
}


def available_tasks() -> list[str]:
    return list(TASKS)


def build_task(name: str, seed: int = 0) -> TaskParts:
    """Import the task's module and call its ``build(seed)``.

    Raises ``ValueError`` for an unknown name and ``RuntimeError`` when the module cannot be
    imported or built (the message says why).
    """
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}")
    module_name = TASKS[name][0]
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - any import failure is reported the same way
        raise RuntimeError(f"task {name!r} is not available ({module_name}: {error})") from error
    parts = module.build(seed)
    if not isinstance(parts, TaskParts):
        raise RuntimeError(f"{module_name}.build must return TaskParts, got {type(parts).__name__}")
    return parts


def tensor_loaders(
    train: tuple, val: tuple, batch_size: int, seed: int, val_batch_size: int = 512
) -> tuple[DataLoader, DataLoader]:
    """``(X, y)`` NumPy/tensor pairs -> shuffled train loader (own seeded generator), val loader."""
    train_set = TensorDataset(*(torch.as_tensor(a) for a in train))
    val_set = TensorDataset(*(torch.as_tensor(a) for a in val))
    generator = torch.Generator().manual_seed(seed)
    return (
        DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=generator),
        DataLoader(val_set, batch_size=val_batch_size),
    )
