"""nnref.data.sequences: shapes, determinism, labels that mean what they say."""

import numpy as np
import pytest

from nnref.data import (
    make_windows,
    marker_order,
    noisy_sines,
    seasonal_series,
    sum_sign,
    tensor_dataset,
)


def test_seasonal_series_parts_sum():
    s = seasonal_series(48, period=12, trend=0.1, noise=0.0)
    np.testing.assert_allclose(s["y"], s["trend"] + s["season"])
    np.testing.assert_allclose(s["season"][:12], s["season"][12:24], atol=1e-12)
    with pytest.raises(ValueError):
        seasonal_series(10, period=1)


def test_noisy_sines_and_windows():
    y = noisy_sines(3, 20, seed=1)
    assert y.shape == (3, 20) and y.dtype == np.float32
    np.testing.assert_array_equal(y, noisy_sines(3, 20, seed=1))
    assert not np.array_equal(y, noisy_sines(3, 20, seed=2))
    x, t = make_windows(y, window=5, horizon=2)
    assert x.shape == (3 * 14, 5, 1) and t.shape == (3 * 14, 2)
    np.testing.assert_array_equal(x[1, :, 0], y[0, 1:6])  # series 0, second window
    np.testing.assert_array_equal(t[1], y[0, 6:8])
    with pytest.raises(ValueError):
        make_windows(y, window=19, horizon=2)


def test_sum_sign_labels():
    x, y = sum_sign(200, 10, seed=3)
    assert x.shape == (200, 10, 1) and y.dtype == np.int64
    np.testing.assert_array_equal(y, x.sum(axis=(1, 2)) > 0)
    assert 0.35 < y.mean() < 0.65


def test_marker_order():
    x, y = marker_order(500, length=30, marker_window=6, seed=0)
    assert x.shape == (500, 30, 3) and x.dtype == np.float32
    assert np.all(x[:, :, 1].sum(axis=1) == 1) and np.all(x[:, :, 2].sum(axis=1) == 1)
    first_a, first_b = x[:, :, 1].argmax(axis=1), x[:, :, 2].argmax(axis=1)
    assert np.all(first_a < 6) and np.all(first_b < 6) and np.all(first_a != first_b)
    np.testing.assert_array_equal(y, first_a < first_b)
    assert 0.4 < y.mean() < 0.6
    x2, y2 = marker_order(500, length=30, marker_window=6, seed=0)
    np.testing.assert_array_equal(x, x2)
    with pytest.raises(ValueError, match="marker_window"):
        marker_order(10, length=5, marker_window=6)


def test_tensor_dataset():
    ds = tensor_dataset(*sum_sign(8, 4))
    assert len(ds) == 8 and ds[0][0].shape == (4, 1)
