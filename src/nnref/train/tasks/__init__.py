"""Named training tasks for ``python -m nnref train TASK`` and the pages.

A task module (``xor.py``, ``digits.py``, ``sine.py``, ``vla.py``) defines
``build(seed) -> TaskParts`` and is registered by name in :data:`TASKS`, next to a one-line
description and a small function that imports the module. Batches from the loaders are
``(inputs, target)``; ``inputs`` is a tensor, or a tuple of tensors that the loop passes to the
model as ``model(*inputs)``.

A task module is imported only when its task is built, so a missing or broken module does not
stop the other tasks; building that task raises the module's own error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

__all__ = ["TASKS", "Task", "TaskParts", "available_tasks", "build_task", "get_task", "tensor_loaders"]


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


@dataclass(frozen=True)
class Task:
    """A registered task: what it trains, and ``load()``, which imports the task's module and
    returns its ``build(seed)`` function."""

    description: str
    load: Callable[[], Callable[[int], TaskParts]]

    def build(self, seed: int = 0) -> TaskParts:
        """The task's model, loaders, loss, optimizer and metric, seeded with ``seed``."""
        parts = self.load()(seed)
        if not isinstance(parts, TaskParts):
            raise TypeError(f"a task's build must return TaskParts, got {type(parts).__name__}")
        return parts


# Each loader imports its module only when called; an import error comes through as it is.
def _xor():
    from . import xor

    return xor.build


def _digits():
    from . import digits

    return digits.build


def _sine():
    from . import sine

    return sine.build


def _vla():
    from . import vla

    return vla.build


TASKS: dict[str, Task] = {
    "xor": Task("2-D XOR blobs, MLP 2-8-2 (classification)", _xor),
    "digits": Task("8x8 handwritten digits, MLP 64-64-10 (classification)", _digits),
    "sine": Task("next value of a noisy sine wave, GRU (regression)", _sine),
    "vla": Task("toy vision-language-action policy (chapter 7)", _vla),
}


def available_tasks() -> list[str]:
    """The registered task names, in the order ``python -m nnref tasks`` lists them."""
    return list(TASKS)


def get_task(name: str) -> Task:
    """The registered :class:`Task` called ``name``; ``ValueError`` for an unknown name."""
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}")
    return TASKS[name]


def build_task(name: str, seed: int = 0) -> TaskParts:
    """``get_task(name).build(seed)``: import the task's module and build its parts.

    ``ValueError`` for an unknown name; an error while importing or building the task (a
    missing module, a bug in it) is raised as it is.
    """
    return get_task(name).build(seed)


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
