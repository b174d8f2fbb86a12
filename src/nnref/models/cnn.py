"""The CNNs of the convolution chapter (chapter 4) and a small digits CNN.

The ``nn.Sequential`` models are built from named modules only (ReLU, Flatten and LogSoftmax
included), so :func:`shape_walk` reports the output shape after every step. :class:`VGG` keeps
torchvision's layout and flattens with ``torch.flatten`` inside ``forward``, so its walk shows no
flatten step (the avgpool's ``(N, 512, 7, 7)`` is followed by the first Linear's output). Conv output size per axis:
``floor((H + 2P - K) / S) + 1``; parameters of a conv layer: ``C_out * (C_in * kH * kW + 1)``.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import nullcontext

import torch
from torch import nn

__all__ = [
    "SmallCNN",
    "MiniAlexNet",
    "CifarCNN",
    "DigitsCNN",
    "VGG",
    "VGG16_CONFIG",
    "vgg16",
    "shape_walk",
    "count_parameters",
]


class SmallCNN(nn.Sequential):
    """Seed 003's first CNN: ``(N, 1, 20, 20)`` -> 5x5 conv (3) -> 5x5 conv (10) -> 50 -> 10.

    20 -> 16 -> 12 spatially, so the flattened size is ``10 * 12 * 12 = 1440``.
    """

    def __init__(self) -> None:
        super().__init__(
            OrderedDict(
                conv1=nn.Conv2d(1, 3, kernel_size=5, stride=1),
                relu1=nn.ReLU(),
                conv2=nn.Conv2d(3, 10, kernel_size=5, stride=1),
                relu2=nn.ReLU(),
                flatten=nn.Flatten(),  # (N, 10, 12, 12) -> (N, 1440)
                fc1=nn.Linear(10 * 12 * 12, 50),
                relu3=nn.ReLU(),
                fc2=nn.Linear(50, 10),
            )
        )


class MiniAlexNet(nn.Sequential):
    """The last two conv layers and the classifier of AlexNet, as in chapter 4's study notes.

    ``(N, 384, 13, 13)`` -> conv 3x3 p1 (384) -> conv 3x3 p1 (256) -> max-pool 3/2 (13 -> 6)
    -> 9216 -> 4096 -> 4096 -> 1000 log-probabilities.
    """

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__(
            OrderedDict(
                conv1=nn.Sequential(nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU()),
                conv2=nn.Sequential(nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(3, 2)),
                flatten=nn.Flatten(),
                fc1=nn.Linear(256 * 6 * 6, 4096),
                relu1=nn.ReLU(),
                fc2=nn.Linear(4096, 4096),
                relu2=nn.ReLU(),
                fc3=nn.Linear(4096, num_classes),
                log_softmax=nn.LogSoftmax(dim=1),
            )
        )


class CifarCNN(nn.Sequential):
    """Seed 003's CIFAR-10 model: ``(N, 3, 32, 32)`` -> conv 5x5 (6) -> pool -> conv 5x5 (16)
    -> pool -> 400 -> 120 -> 84 -> 10 logits. Spatially 32 -> 28 -> 14 -> 10 -> 5."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__(
            OrderedDict(
                conv1=nn.Conv2d(3, 6, 5),
                relu1=nn.ReLU(),
                pool1=nn.MaxPool2d(2, 2),
                conv2=nn.Conv2d(6, 16, 5),
                relu2=nn.ReLU(),
                pool2=nn.MaxPool2d(2, 2),
                flatten=nn.Flatten(),  # 16 * 5 * 5 = 400
                fc1=nn.Linear(16 * 5 * 5, 120),
                relu3=nn.ReLU(),
                fc2=nn.Linear(120, 84),
                relu4=nn.ReLU(),
                fc3=nn.Linear(84, num_classes),
            )
        )


class DigitsCNN(nn.Sequential):
    """A small CNN for the 8x8 digits: ``(N, 1, 8, 8)`` -> 8x8 -> pool 4x4 -> 4x4 -> pool 2x2
    -> 2 * 2 * ``channels[1]`` -> ``num_classes`` logits."""

    def __init__(self, channels: tuple[int, int] = (16, 32), num_classes: int = 10) -> None:
        c1, c2 = channels
        super().__init__(
            OrderedDict(
                conv1=nn.Conv2d(1, c1, 3, padding=1),
                relu1=nn.ReLU(),
                pool1=nn.MaxPool2d(2),
                conv2=nn.Conv2d(c1, c2, 3, padding=1),
                relu2=nn.ReLU(),
                pool2=nn.MaxPool2d(2),
                flatten=nn.Flatten(),
                fc=nn.Linear(c2 * 2 * 2, num_classes),
            )
        )


VGG16_CONFIG = [
    64,
    64,
    "M",
    128,
    128,
    "M",
    256,
    256,
    256,
    "M",
    512,
    512,
    512,
    "M",
    512,
    512,
    512,
    "M",
]
"""VGG-16's ``features`` as torchvision's config "D": an int is a 3x3 conv (padding 1) with that many
output channels followed by ReLU, ``"M"`` a 2x2 max-pool (stride 2). 13 convs, five pools: 224 -> 7."""


class VGG(nn.Module):
    """VGG with torchvision's module layout (``features``, ``avgpool``, ``classifier``), so
    torchvision's VGG-16 ``state_dict`` loads into ``VGG(VGG16_CONFIG)`` unchanged.

    ``(N, 3, 224, 224)`` -> features ``(N, 512, 7, 7)`` -> 25088 -> 4096 -> 4096 -> 1000 logits.
    A small ``config`` and ``hidden`` give a cheap model with the same structure.
    """

    def __init__(self, config=VGG16_CONFIG, num_classes: int = 1000, dropout: float = 0.5, hidden: int = 4096) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 3
        for v in config:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(c_in, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                c_in = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))  # any input >= 32x32 ends as 7x7
        self.classifier = nn.Sequential(
            nn.Linear(c_in * 7 * 7, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def vgg16(num_classes: int = 1000, device=None) -> VGG:
    """VGG-16 (13 conv + 3 linear layers). ``device="meta"`` builds it without allocating memory."""
    with torch.device(device) if device is not None else nullcontext():
        return VGG(VGG16_CONFIG, num_classes)


def count_parameters(model: nn.Module) -> int:
    """Number of scalar parameters (works on the meta device too)."""
    return sum(p.numel() for p in model.parameters())


def shape_walk(model: nn.Module, input_shape) -> list[tuple[str, str, tuple[int, ...]]]:
    """Run ``model`` on zeros of ``input_shape`` and return ``(name, layer type, output shape)``
    for every leaf module, in call order. The input lives on the model's device, so a model on
    the ``meta`` device is walked without computing anything."""
    params = list(model.parameters())
    device = params[0].device if params else torch.device("cpu")
    rows: list[tuple[str, str, tuple[int, ...]]] = []

    def record(name):
        return lambda mod, args, out: rows.append((name, type(mod).__name__, tuple(out.shape)))

    hooks = [
        module.register_forward_hook(record(name))
        for name, module in model.named_modules()
        if not list(module.children())
    ]
    try:
        with torch.no_grad():
            model(torch.zeros(tuple(input_shape), device=device))
    finally:
        for h in hooks:
            h.remove()
    return rows
