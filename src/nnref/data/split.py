"""Train / validation / test split of arrays (NumPy only), optionally stratified by label."""

from __future__ import annotations

import numpy as np

__all__ = ["split_sizes", "train_val_test_split"]


def split_sizes(n: int, fractions=(0.7, 0.15, 0.15)) -> list[int]:
    """Integer sizes that sum to ``n``: ``floor(f * n)`` each, leftovers to the largest remainders.

    >>> split_sizes(100)
    [70, 15, 15]
    >>> split_sizes(10)
    [7, 2, 1]
    """
    f = np.asarray(fractions, dtype=np.float64)
    if f.ndim != 1 or len(f) == 0 or np.any(f < 0) or not np.isclose(f.sum(), 1.0):
        raise ValueError(f"fractions must be non-negative and sum to 1, got {tuple(fractions)}")
    raw = f * n
    sizes = np.floor(raw).astype(int)
    # hand the leftover points to the largest remainders (ties: earlier split first)
    order = np.argsort(-(raw - sizes), kind="stable")
    sizes[order[: n - sizes.sum()]] += 1
    return sizes.tolist()


def train_val_test_split(X, y, fractions=(0.7, 0.15, 0.15), seed: int = 0, stratify: bool = False):
    """Shuffle ``(X, y)`` and cut it into ``(X_train, y_train), (X_val, y_val), (X_test, y_test)``.

    ``X`` has shape ``(n, ...)`` and ``y`` shape ``(n,)``. The split is a permutation, so the
    three parts are disjoint and together hold every sample once. ``stratify=True`` splits each
    class separately with :func:`split_sizes`, so class proportions are kept (up to rounding).
    Deterministic for a given ``seed``; global NumPy state is not touched.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim < 1 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X must be (n, ...) and y (n,) with the same n, got {X.shape} and {y.shape}")
    if len(fractions) != 3:
        raise ValueError(f"fractions must have 3 entries (train, val, test), got {tuple(fractions)}")
    rng = np.random.default_rng(seed)
    n = len(y)
    if stratify:
        parts: list[list[np.ndarray]] = [[], [], []]
        for c in np.unique(y):
            idx = rng.permutation(np.flatnonzero(y == c))
            bounds = np.cumsum([0] + split_sizes(len(idx), fractions))
            for i in range(3):
                parts[i].append(idx[bounds[i] : bounds[i + 1]])
        index = [rng.permutation(np.concatenate(p)) for p in parts]
    else:
        perm = rng.permutation(n)
        bounds = np.cumsum([0] + split_sizes(n, fractions))
        index = [perm[bounds[i] : bounds[i + 1]] for i in range(3)]
    return tuple((X[i], y[i]) for i in index)
