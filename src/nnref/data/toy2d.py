"""Deterministic 2-D toy classification sets: XOR, spirals, moons, circles (NumPy only).

Every generator returns ``(X, y)`` with ``X`` a ``float32`` array of shape ``(n, 2)`` and ``y`` an
``int64`` array of shape ``(n,)``. The same arguments always give the same arrays (a private
``numpy.random.default_rng(seed)`` is used; global NumPy state is never touched). Classes are as
balanced as ``n`` allows: class ``k`` gets ``n // K`` points plus one if ``k < n % K``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["xor", "spirals", "moons", "circles", "class_sizes"]


def class_sizes(n: int, num_classes: int) -> list[int]:
    """Split ``n`` points over ``num_classes`` classes as evenly as possible (first ones get +1)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < num_classes:
        raise ValueError(f"n must be >= {num_classes} (one point per class), got {n}")
    return [n // num_classes + (1 if k < n % num_classes else 0) for k in range(num_classes)]


def _check_noise(noise: float) -> float:
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    return float(noise)


def _finish(parts_X: list[np.ndarray], parts_y: list[np.ndarray], rng, shuffle: bool):
    X = np.concatenate(parts_X).astype(np.float32)
    y = np.concatenate(parts_y).astype(np.int64)
    if shuffle:
        perm = rng.permutation(len(y))
        X, y = X[perm], y[perm]
    return X, y


def xor(n: int = 200, noise: float = 0.1, seed: int = 0, shuffle: bool = True):
    """XOR blobs: points around the four corners ``(±1, ±1)``; label ``[x1 * x2 < 0]``.

    Corners ``(1, 1)`` and ``(-1, -1)`` are class 0, ``(1, -1)`` and ``(-1, 1)`` class 1, each
    corner gets a quarter of the points (as evenly as ``n`` allows) plus Gaussian noise of std
    ``noise``. With ``n=4, noise=0`` it is the classic truth table on ``{-1, 1}^2``.
    """
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    corners = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=np.float64)
    labels = [0, 0, 1, 1]
    sizes = class_sizes(n, 4)
    Xs, ys = [], []
    for c, m, lab in zip(corners, sizes, labels, strict=True):
        Xs.append(c + noise * rng.standard_normal((m, 2)))
        ys.append(np.full(m, lab))
    return _finish(Xs, ys, rng, shuffle)


def spirals(
    n: int = 300,
    num_classes: int = 2,
    noise: float = 0.2,
    turns: float = 1.5,
    seed: int = 0,
    shuffle: bool = True,
):
    """Interleaved spiral arms, one per class (the CS231n / TensorFlow-playground set).

    Arm ``k``: radius ``r = t`` and angle ``theta = 2*pi*turns*t + 2*pi*k/K + noise*eps`` for
    ``t`` evenly spaced in ``[0.05, 1]``; point ``(r cos theta, r sin theta)``.
    """
    noise = _check_noise(noise)
    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2, got {num_classes}")
    rng = np.random.default_rng(seed)
    Xs, ys = [], []
    for k, m in enumerate(class_sizes(n, num_classes)):
        t = np.linspace(0.05, 1.0, m)
        theta = 2 * np.pi * turns * t + 2 * np.pi * k / num_classes + noise * rng.standard_normal(m)
        Xs.append(np.stack([t * np.cos(theta), t * np.sin(theta)], axis=1))
        ys.append(np.full(m, k))
    return _finish(Xs, ys, rng, shuffle)


def moons(n: int = 200, noise: float = 0.1, seed: int = 0, shuffle: bool = True):
    """Two interleaving half circles (same geometry as scikit-learn's ``make_moons``).

    Class 0: ``(cos a, sin a)``, class 1: ``(1 - cos a, 0.5 - sin a)``, ``a`` evenly spaced in
    ``[0, pi]``; then Gaussian noise of std ``noise`` on both coordinates.
    """
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    m0, m1 = class_sizes(n, 2)
    a0, a1 = np.linspace(0, np.pi, m0), np.linspace(0, np.pi, m1)
    X0 = np.stack([np.cos(a0), np.sin(a0)], axis=1)
    X1 = np.stack([1 - np.cos(a1), 0.5 - np.sin(a1)], axis=1)
    Xs = [X0 + noise * rng.standard_normal(X0.shape), X1 + noise * rng.standard_normal(X1.shape)]
    return _finish(Xs, [np.zeros(m0), np.ones(m1)], rng, shuffle)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0, shuffle: bool = True):
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor`` in (0, 1)."""
    noise = _check_noise(noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor}")
    rng = np.random.default_rng(seed)
    Xs, ys = [], []
    for k, (m, r) in enumerate(zip(class_sizes(n, 2), (1.0, factor), strict=True)):
        a = np.linspace(0, 2 * np.pi, m, endpoint=False)
        P = r * np.stack([np.cos(a), np.sin(a)], axis=1)
        Xs.append(P + noise * rng.standard_normal(P.shape))
        ys.append(np.full(m, k))
    return _finish(Xs, ys, rng, shuffle)
