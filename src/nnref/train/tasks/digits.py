"""8x8 handwritten digits (``nnref.data.digits``): a 64-64-10 MLP on standardized pixels.

The mean and standard deviation used for standardizing come from the training split only.
"""

from __future__ import annotations

import torch
from torch import nn

from nnref.data.digits import digits_split
from nnref.models import MLP

from ..loop import accuracy
from . import TaskParts, tensor_loaders


def build(seed: int = 0) -> TaskParts:
    (x_train, y_train), (x_val, y_val), _ = digits_split(seed=seed)  # (n, 1, 8, 8) in [0, 1]
    mean, std = x_train.mean(), x_train.std()  # one channel: one mean, one std
    train = ((x_train - mean) / std, y_train)
    val = ((x_val - mean) / std, y_val)
    train_loader, val_loader = tensor_loaders(train, val, batch_size=32, seed=seed)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), MLP([64, 64, 10]))
    return TaskParts(
        model=model,
        train_loader=train_loader,
        val_loader=val_loader,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=1e-3),
        metric=accuracy,
        metric_name="accuracy",
        epochs=20,
    )
