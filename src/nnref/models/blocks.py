"""Residual building blocks: ``out = relu(F(x) + shortcut(x))``."""

import torch
from torch import nn


class ResidualBlock(nn.Module):
    """A basic (ResNet-style) residual block on ``(N, C_in, H, W)`` feature maps.

    ``F(x) = BN(conv3x3(relu(BN(conv3x3(x)))))`` and ``out = relu(F(x) + shortcut(x))``. The
    shortcut is the identity when ``stride == 1`` and the channels are unchanged, else a 1x1
    convolution with ``stride`` plus BatchNorm, so that both terms have shape
    ``(N, out_channels, ceil(H / stride), ceil(W / stride))`` (an odd ``H`` rounds up).
    The convolutions have no bias because the BatchNorm after them has one.
    """

    def __init__(self, in_channels: int, out_channels: int | None = None, stride: int = 1):
        super().__init__()
        out_channels = in_channels if out_channels is None else out_channels
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        else:
            self.shortcut = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != self.conv1.in_channels:
            raise ValueError(f"x must have shape (N, {self.conv1.in_channels}, H, W), got {tuple(x.shape)}")
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class ResidualMLPBlock(nn.Module):
    """``out = x + fc2(relu(fc1(x)))`` on ``(N, dim)``: the residual idea without convolutions."""

    def __init__(self, dim: int, hidden: int | None = None):
        super().__init__()
        hidden = dim if hidden is None else hidden
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.fc2(torch.relu(self.fc1(x)))
