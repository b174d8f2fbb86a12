"""A two-layer sigmoid MLP in NumPy with a hand-written backward pass.

``z1 = x W1^T + b1``, ``a1 = sigmoid(z1)``, ``z2 = a1 W2^T + b2``, ``a2 = sigmoid(z2)``, with
torch's Linear layout: ``W1 (hidden, in)``, ``b1 (hidden,)``, ``W2 (out, hidden)``, ``b2 (out,)``;
``x`` is ``(N, in)``. The loss used with it is ``0.5 * sum((a2 - y)^2)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["mlp2_forward", "mlp2_backward", "half_sse_loss", "half_sse_loss_backward"]


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def mlp2_forward(x, W1, b1, W2, b2):
    """Returns ``(a2, cache)``; ``a2`` is ``(N, out)``, ``cache`` what the backward needs."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != W1.shape[1]:
        raise ValueError(f"x must have shape (N, {W1.shape[1]}), got {x.shape}")
    if W2.shape[1] != W1.shape[0]:
        raise ValueError(f"W2 must have shape (out, {W1.shape[0]}), got {W2.shape}")
    a1 = _sigmoid(x @ W1.T + b1)
    a2 = _sigmoid(a1 @ W2.T + b2)
    return a2, (x, a1, a2, W2)


def mlp2_backward(grad_a2, cache):
    """``(dW1, db1, dW2, db2)`` from ``grad_a2 = dL/da2`` (upstream x local, layer by layer)."""
    x, a1, a2, W2 = cache
    grad_z2 = grad_a2 * a2 * (1.0 - a2)  # sigmoid'(z2) = a2 (1 - a2)
    dW2 = grad_z2.T @ a1
    db2 = grad_z2.sum(axis=0)
    grad_a1 = grad_z2 @ W2
    grad_z1 = grad_a1 * a1 * (1.0 - a1)
    dW1 = grad_z1.T @ x
    db1 = grad_z1.sum(axis=0)
    return dW1, db1, dW2, db2


def half_sse_loss(a2, y):
    """``0.5 * sum((a2 - y)^2)`` (the loss of seed 001)."""
    if np.shape(a2) != np.shape(y):
        raise ValueError(f"y must have the shape of a2 {np.shape(a2)}, got {np.shape(y)}")
    return 0.5 * float(np.sum((a2 - y) ** 2))


def half_sse_loss_backward(a2, y):
    """``d/da2 [0.5 * sum((a2 - y)^2)] = a2 - y``."""
    return a2 - y
