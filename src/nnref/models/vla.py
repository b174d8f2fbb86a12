"""A small Vision-Language-Action model (chapter 7): encode, concatenate, decode an action.

``SimpleVLA``: images ``(B, 3, H, W)`` and tokens ``(B, T)`` -> actions ``(B, action_dim)``::

    v = VisionEncoder(images)                (B, feature_dim)
    l = LanguageEncoder(tokens, lengths)     (B, feature_dim)
    z = concat([v, l])                       (B, 2 * feature_dim)   concatenation fusion
    a = ActionDecoder(z) = tanh(MLP(z)) * s  (B, action_dim)

The baselines ``VisionOnlyVLA`` and ``LanguageOnlyVLA`` are the same model with one encoder removed
(the decoder then sees only the other one's features); they take the same arguments.
"""

from __future__ import annotations

import torch
from torch import nn

from nnref.models.sequence import LanguageEncoder
from nnref.models.vision import VisionEncoder

__all__ = ["ActionDecoder", "LanguageOnlyVLA", "SimpleVLA", "VisionOnlyVLA", "add_coords"]


class ActionDecoder(nn.Module):
    """Policy head: ``a = tanh(MLP(z)) * action_scale``; ``(B, feature_dim) -> (B, action_dim)``.

    ``tanh`` bounds each raw output to (-1, 1); ``action_scale`` (a learnable vector, initialised
    to ones) then sets each dimension's range to ``(-|s_i|, |s_i|)``. Because ``s`` is learned, the
    bound is *not* fixed at 1: use ``learn_scale=False`` for a hard [-1, 1] bound.
    """

    def __init__(
        self,
        feature_dim: int,
        action_dim: int = 7,
        hidden_sizes: tuple[int, ...] = (256, 128),
        learn_scale: bool = True,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        n_in = feature_dim
        for n_out in hidden_sizes:
            layers += [nn.Linear(n_in, n_out), nn.ReLU()]
            n_in = n_out
        layers.append(nn.Linear(n_in, action_dim))
        self.policy_head = nn.Sequential(*layers)
        scale = torch.ones(action_dim)
        if learn_scale:
            self.action_scale = nn.Parameter(scale)
        else:
            self.register_buffer("action_scale", scale)
        self.feature_dim = feature_dim

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        if features.dim() != 2 or features.shape[1] != self.feature_dim:
            raise ValueError(f"features must have shape (B, {self.feature_dim}), got {tuple(features.shape)}")
        raw = self.policy_head(features)  # (B, action_dim), unbounded
        return torch.tanh(raw) * self.action_scale  # (B, action_dim), in (-|s|, |s|)


def add_coords(images: torch.Tensor) -> torch.Tensor:
    """Append two channels holding each pixel's x and y in [-1, 1] (CoordConv, Liu et al. 2018).

    ``(B, C, H, W) -> (B, C + 2, H, W)``. Global average pooling throws away *where* a feature
    was; with the coordinates as inputs the convolutions can write the position into the features.
    """
    b, _, h, w = images.shape
    ys = torch.linspace(-1.0, 1.0, h, device=images.device, dtype=images.dtype)
    xs = torch.linspace(-1.0, 1.0, w, device=images.device, dtype=images.dtype)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    coords = torch.stack([grid_x, grid_y]).expand(b, 2, h, w)
    return torch.cat([images, coords], dim=1)


class SimpleVLA(nn.Module):
    """Vision encoder + language encoder + concatenation fusion + action decoder.

    ``forward(images (B, 3, H, W), tokens (B, T) long, lengths (B,) or None) -> (B, action_dim)``.
    ``coords=True`` feeds the pixel coordinates to the vision encoder as two extra channels.
    """

    use_vision = True
    use_language = True

    def __init__(
        self,
        vocab_size: int,
        action_dim: int = 7,
        feature_dim: int = 128,
        vision_channels: tuple[int, ...] = (32, 64, 128),
        embed_dim: int = 32,
        hidden_size: int = 64,
        decoder_hidden: tuple[int, ...] = (256, 128),
        image_channels: int = 3,
        coords: bool = True,
        learn_scale: bool = True,
    ) -> None:
        super().__init__()
        self.coords = coords
        fused = 0
        if self.use_vision:
            in_channels = image_channels + (2 if coords else 0)
            self.vision_encoder = VisionEncoder(in_channels, feature_dim, tuple(vision_channels))
            fused += feature_dim
        if self.use_language:
            self.language_encoder = LanguageEncoder(vocab_size, embed_dim, hidden_size, feature_dim)
            fused += feature_dim
        self.action_decoder = ActionDecoder(fused, action_dim, tuple(decoder_hidden), learn_scale)

    def encode(self, images: torch.Tensor, tokens: torch.Tensor, lengths=None) -> torch.Tensor:
        """The fused feature vector ``z`` (B, fused_dim) that the decoder sees."""
        parts = []
        if self.use_vision:
            parts.append(self.vision_encoder(add_coords(images) if self.coords else images))
        if self.use_language:
            parts.append(self.language_encoder(tokens, lengths))
        return torch.cat(parts, dim=1)  # concatenation fusion

    def forward(self, images: torch.Tensor, tokens: torch.Tensor, lengths=None) -> torch.Tensor:
        if images.shape[0] != tokens.shape[0]:
            raise ValueError(
                f"images and tokens must have the same batch size, got {images.shape[0]} and {tokens.shape[0]}"
            )
        return self.action_decoder(self.encode(images, tokens, lengths))


class VisionOnlyVLA(SimpleVLA):
    """Baseline: the image alone (the instruction is ignored)."""

    use_language = False


class LanguageOnlyVLA(SimpleVLA):
    """Baseline: the instruction alone (the image is ignored)."""

    use_vision = False
