"""XOR blobs (``nnref.data.xor``): a 2-8-2 MLP separates what no single line can."""

from __future__ import annotations

import torch
from torch import nn

from nnref.data import train_val_test_split, xor
from nnref.models import MLP

from ..loop import accuracy
from . import TaskParts, tensor_loaders


def build(seed: int = 0) -> TaskParts:
    X, y = xor(n=400, noise=0.25, seed=seed)
    train, val, _ = train_val_test_split(X, y, fractions=(0.75, 0.25, 0.0), seed=seed)
    train_loader, val_loader = tensor_loaders(train, val, batch_size=32, seed=seed)
    torch.manual_seed(seed)
    model = MLP([2, 8, 2])
    return TaskParts(
        model=model,
        train_loader=train_loader,
        val_loader=val_loader,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=0.02),
        metric=accuracy,
        metric_name="accuracy",
        epochs=50,
    )
