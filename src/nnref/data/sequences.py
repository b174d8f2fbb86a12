"""Generated sequence data: seasonal series, noisy sines for forecasting, and classification
tasks that need memory. NumPy only; every function is deterministic given ``seed``.

Layouts are batch-first, like ``nn.LSTM(batch_first=True)``: inputs ``(N, T, F)`` float32,
class labels ``(N,)`` int64.
"""

from __future__ import annotations

import numpy as np


def seasonal_series(length=120, period=12, trend=0.05, amplitude=1.0, noise=0.2, seed=0):
    """Monthly-style series ``y_t = trend * t + amplitude * sin(2 pi t / period) + eps_t``.

    Returns a dict of float64 arrays of shape ``(length,)``: ``t``, ``trend``, ``season``,
    ``noise`` and ``y`` (their sum), so a page can plot the decomposition.
    """
    if length < 1 or period < 2:
        raise ValueError(f"need length >= 1 and period >= 2, got {length}, {period}")
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype=np.float64)
    parts = {
        "t": t,
        "trend": trend * t,
        "season": amplitude * np.sin(2 * np.pi * t / period),
        "noise": noise * rng.standard_normal(length),
    }
    parts["y"] = parts["trend"] + parts["season"] + parts["noise"]
    return parts


def noisy_sines(n_series=64, length=100, noise=0.1, period_range=(8.0, 24.0), seed=0):
    """``n_series`` sine waves with random period and phase plus Gaussian noise: ``(N, T)``
    float32. Windows of them make a one-step forecasting set (see :func:`make_windows`)."""
    rng = np.random.default_rng(seed)
    period = rng.uniform(*period_range, size=(n_series, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    t = np.arange(length)
    y = np.sin(2 * np.pi * t / period + phase) + noise * rng.standard_normal((n_series, length))
    return y.astype(np.float32)


def make_windows(series, window, horizon=1):
    """Slide a window over each series ``(N, T)``: inputs ``(M, window, 1)`` and targets
    ``(M, horizon)``, the ``horizon`` values that follow each window."""
    series = np.atleast_2d(np.asarray(series))
    steps = series.shape[1]
    if window < 1 or horizon < 1 or window + horizon > steps:
        raise ValueError(f"need 1 <= window and window + horizon <= T={steps}, got window={window}, horizon={horizon}")
    starts = range(steps - window - horizon + 1)
    x = np.stack([series[:, s : s + window] for s in starts], axis=1).reshape(-1, window)
    y = np.stack([series[:, s + window : s + window + horizon] for s in starts], axis=1)
    return x[..., None], y.reshape(-1, horizon)


def sum_sign(n=1000, length=20, seed=0):
    """Is the sum of the sequence positive? ``x (N, T, 1)`` standard normal, ``y (N,)`` in
    {0, 1}. Needs a running total, not long memory of one step."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, length, 1)).astype(np.float32)
    return x, (x.sum(axis=(1, 2)) > 0).astype(np.int64)


def marker_order(n=1000, length=40, marker_window=5, noise=1.0, seed=0):
    """Which of two markers came first? Needs memory over ``length - marker_window`` steps.

    ``x (N, T, 3)``: channel 0 is Gaussian noise of std ``noise`` (a distractor) at every
    step; channel 1 is 1 at the step of marker A, channel 2 at the step of marker B. Both
    markers fall at distinct steps within the first ``marker_window`` steps, then only noise
    follows. ``y = 1`` when A came before B, else 0 (balanced in expectation).
    """
    if not 2 <= marker_window <= length:
        raise ValueError(f"marker_window must lie in [2, length={length}], got {marker_window}")
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length, 3), dtype=np.float32)
    x[:, :, 0] = noise * rng.standard_normal((n, length))
    pos = np.argsort(rng.random((n, marker_window)), axis=1)[:, :2]  # two distinct steps
    rows = np.arange(n)
    x[rows, pos[:, 0], 1] = 1.0
    x[rows, pos[:, 1], 2] = 1.0
    return x, (pos[:, 0] < pos[:, 1]).astype(np.int64)


def tensor_dataset(x, y):
    """Wrap arrays as a ``torch.utils.data.TensorDataset`` (imports torch lazily)."""
    import torch
    from torch.utils.data import TensorDataset

    return TensorDataset(torch.as_tensor(x), torch.as_tensor(y))
