"""Toy vision-language-action task (``nnref.data.vla``): a ``SimpleVLA`` learns 7-DOF actions.

Each sample is a 16x16 RGB scene with one coloured block and an English or Korean instruction
("pick up the red block", "빨간 블록을 밀어"). The target action's end point ``(x, y)`` comes from
the image and ``(z, pitch, gripper)`` from the verb, so neither modality alone succeeds.

Metric: success rate, an episode succeeds when the predicted end point ``(x, y, z)`` lies within
``SUCCESS_TOLERANCE`` (0.15) of the target and the gripper command has the target's sign.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader

from nnref.data.vla import VLATorchDataset, make_vla_data, success_rate
from nnref.data.vla_text import VLATokenizer
from nnref.models.vla import LanguageOnlyVLA, SimpleVLA, VisionOnlyVLA

from . import TaskParts

# Small enough to train in seconds on a 2-core CPU, large enough to learn the task.
MODEL_CONFIG = dict(feature_dim=32, vision_channels=(16, 16, 16), embed_dim=8, hidden_size=16, decoder_hidden=(64,))
N_TRAIN, N_VAL, BATCH_SIZE, LR, EPOCHS = 2000, 500, 32, 1e-2, 10
MODELS = {"vla": SimpleVLA, "vision": VisionOnlyVLA, "language": LanguageOnlyVLA}


def vla_loaders(
    n_train: int = N_TRAIN, n_val: int = N_VAL, batch_size: int = BATCH_SIZE, seed: int = 0
) -> tuple[DataLoader, DataLoader]:
    """Train/validation loaders of independent scenes (seeds ``seed`` and ``seed + 1``)."""
    train = VLATorchDataset(make_vla_data(n_train, seed=seed))
    val = VLATorchDataset(make_vla_data(n_val, seed=seed + 1))
    generator = torch.Generator().manual_seed(seed)
    return (
        DataLoader(train, batch_size=batch_size, shuffle=True, generator=generator),
        DataLoader(val, batch_size=512),
    )


def build(seed: int = 0, model: str = "vla") -> TaskParts:
    """``model``: ``"vla"`` (both modalities), ``"vision"`` or ``"language"`` (baselines)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {tuple(MODELS)}, got {model!r}")
    train_loader, val_loader = vla_loaders(seed=seed)
    torch.manual_seed(seed)
    net = MODELS[model](VLATokenizer().vocab_size, **MODEL_CONFIG)
    return TaskParts(
        model=net,
        train_loader=train_loader,
        val_loader=val_loader,
        loss_fn=nn.MSELoss(),
        optimizer=torch.optim.Adam(net.parameters(), lr=LR),
        metric=success_rate,
        metric_name="success rate",
        epochs=EPOCHS,
    )
