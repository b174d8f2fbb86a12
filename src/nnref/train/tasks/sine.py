"""One-step forecasting of noisy sine waves (``nnref.data.sequences``) with a small GRU.

Windows of 20 steps predict the next value. Train and validation windows come from different
series, so no validation window overlaps a training one. Metric: R^2 on the validation set
(the noise, std 0.1, caps it near ``1 - 0.01 / 0.5 = 0.98``).
"""

from __future__ import annotations

import torch
from torch import nn

from nnref.data.sequences import make_windows, noisy_sines
from nnref.models import RecurrentClassifier

from ..loop import r2_score
from . import TaskParts, tensor_loaders


def build(seed: int = 0) -> TaskParts:
    series = noisy_sines(n_series=64, length=60, noise=0.1, seed=seed)
    train = make_windows(series[:48], window=20)  # x (48*40, 20, 1), y (48*40, 1)
    val = make_windows(series[48:], window=20)
    train_loader, val_loader = tensor_loaders(train, val, batch_size=64, seed=seed, val_batch_size=len(val[1]))
    torch.manual_seed(seed)
    model = RecurrentClassifier(input_size=1, hidden_size=32, num_classes=1, cell="gru")  # (B, 1) output
    return TaskParts(
        model=model,
        train_loader=train_loader,
        val_loader=val_loader,
        loss_fn=nn.MSELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=1e-2),
        metric=r2_score,
        metric_name="R^2",
        epochs=15,
    )
