"""Multi-layer perceptrons: a plain ``MLP(sizes)`` builder and the BatchNorm + Dropout MLP
of the study notes behind chapter 1 (the site's MLP page).

Shapes: input ``(B, sizes[0])`` -> output ``(B, sizes[-1])``. The output layer has no activation:
it returns logits (classification, for ``nn.CrossEntropyLoss``) or raw values (regression).

Parameter count of a Linear layer ``in -> out``: ``out * in`` weights + ``out`` biases.
BatchNorm1d(h) adds ``2 h`` parameters (``weight`` gamma and ``bias`` beta); its running mean and
variance are buffers, not parameters. Dropout has none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

__all__ = ["MLP", "BatchNormMLP", "mlp_num_params", "ACTIVATIONS"]

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


def _activation(activation) -> Callable[[], nn.Module]:
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        return ACTIVATIONS[activation]
    if callable(activation):
        return activation
    raise TypeError(f"activation must be a name or a callable returning an nn.Module, got {activation!r}")


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    sizes = list(sizes)
    if len(sizes) < 2 or not all(isinstance(s, int) and s > 0 for s in sizes):
        raise ValueError(f"sizes must list >= 2 positive ints (input, ..., output), got {sizes}")
    return sizes


def mlp_num_params(sizes: Sequence[int], batchnorm: bool = False) -> int:
    """``sum(out*in + out)`` over the Linear layers, plus ``2 h`` per hidden BatchNorm1d."""
    sizes = _check_sizes(sizes)
    n = sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:], strict=True))
    return n + (2 * sum(sizes[1:-1]) if batchnorm else 0)


class MLP(nn.Sequential):
    """``Linear(sizes[0], sizes[1]) -> act -> ... -> Linear(sizes[-2], sizes[-1])``.

    An ``nn.Sequential``: index it (``mlp[0]`` is the first Linear) or print it. ``activation`` is
    a name in :data:`ACTIVATIONS` or a zero-argument callable returning a module (``nn.ReLU``).
    No activation after the last Linear.
    """

    def __init__(self, sizes: Sequence[int], activation="relu") -> None:
        sizes = _check_sizes(sizes)
        act = _activation(activation)
        layers: list[nn.Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(nn.Linear(n_in, n_out))
            if i < len(sizes) - 2:
                layers.append(act())
        super().__init__(*layers)
        self.sizes = sizes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (B, {self.sizes[0]}), got {tuple(x.shape)}")
        return super().forward(x)


class BatchNormMLP(nn.Module):
    """The MLP of chapter 1's study notes: each hidden layer is ``Linear -> BatchNorm1d -> ReLU -> Dropout``.

    ``BatchNormMLP(784, 256, 10)`` is 784 -> 256 -> 256 -> 10 (``num_hidden=2`` hidden layers
    of width ``hidden_size``, as in the notes), output ``(B, 10)`` logits. In ``train()`` mode
    BatchNorm uses batch statistics (so it needs ``B > 1``) and Dropout zeroes activations with
    probability ``dropout`` (scaling survivors by ``1 / (1 - dropout)``); in ``eval()`` mode
    BatchNorm uses its running statistics and Dropout is the identity, so outputs are
    deterministic and per-sample.
    """

    def __init__(
        self,
        input_size: int = 784,
        hidden_size: int = 256,
        output_size: int = 10,
        num_hidden: int = 2,
        dropout: float = 0.1,
        activation="relu",
    ) -> None:
        super().__init__()
        if num_hidden < 1:
            raise ValueError(f"num_hidden must be >= 1, got {num_hidden}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.sizes = _check_sizes([input_size] + [hidden_size] * num_hidden + [output_size])
        act = _activation(activation)
        self.hidden = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out), act(), nn.Dropout(dropout))
            for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1], strict=True)
        )
        self.out = nn.Linear(self.sizes[-2], self.sizes[-1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (B, {self.sizes[0]}), got {tuple(x.shape)}")
        for block in self.hidden:
            x = block(x)
        return self.out(x)
