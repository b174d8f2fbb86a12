"""A small robot-camera vision encoder (chapter 4): conv stack -> global average pooling -> linear.

Shapes: ``(B, C, H, W)`` -> ``(B, feature_dim)``. Each block is a 3x3 convolution with stride 2
and padding 1 followed by ReLU, so every block halves the spatial size (rounding up):
``H -> floor((H + 2 - 3) / 2) + 1``, which is at least 1 for any ``H >= 1``. Global average
pooling then removes the spatial axes, which is what lets one encoder take images of many sizes.

``forward`` refuses images smaller than ``min_size`` (16) in either dimension with a ValueError.
That is a check of this class, not a limit of the geometry: the conv stack alone runs on smaller
images too (12x12 ends as a 2x2 map with the default three blocks).
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["VisionEncoder"]


class VisionEncoder(nn.Module):
    """Image ``(B, in_channels, H, W)`` -> feature vector ``(B, feature_dim)``.

    ``channels`` lists the output channels of the conv blocks (one block per entry).
    """

    min_size = 16

    def __init__(
        self,
        in_channels: int = 3,
        feature_dim: int = 128,
        channels: tuple[int, ...] = (32, 64, 128),
    ) -> None:
        super().__init__()
        if not channels:
            raise ValueError("channels must name at least one conv block, got ()")
        self.in_channels = in_channels
        self.feature_dim = feature_dim
        layers: list[nn.Module] = []
        c_in = in_channels
        for c_out in channels:
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, stride=2, padding=1), nn.ReLU()]
            c_in = c_out
        self.conv = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)  # global average pooling: (B, C, h, w) -> (B, C, 1, 1)
        self.proj = nn.Linear(c_in, feature_dim)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        if images.dim() != 4 or images.shape[1] != self.in_channels:
            raise ValueError(f"images must have shape (B, {self.in_channels}, H, W), got {tuple(images.shape)}")
        if images.shape[2] < self.min_size or images.shape[3] < self.min_size:
            raise ValueError(f"images must be at least {self.min_size}x{self.min_size}, got {tuple(images.shape[2:])}")
        features = self.pool(self.conv(images)).flatten(1)  # (B, channels[-1])
        return self.proj(features)  # (B, feature_dim)
