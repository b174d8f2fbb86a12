"""Tests of nnref.data.toy2d and nnref.data.split (NumPy only)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnref.data import circles, moons, spirals, split_sizes, train_val_test_split, xor

GENERATORS = [xor, spirals, moons, circles]


@pytest.mark.parametrize("gen", GENERATORS)
def test_shapes_dtypes_and_determinism(gen):
    X, y = gen(n=101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    X2, y2 = gen(n=101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = gen(n=101, seed=4)
    assert not np.array_equal(X, X3)
    assert np.isfinite(X).all()


@pytest.mark.parametrize("gen", GENERATORS)
def test_global_numpy_state_untouched(gen):
    np.random.seed(123)
    a = np.random.rand()
    np.random.seed(123)
    gen(n=50)
    assert np.random.rand() == a


@pytest.mark.parametrize("gen,k", [(xor, 2), (moons, 2), (circles, 2), (spirals, 2)])
@pytest.mark.parametrize("n", [4, 7, 100, 201])
def test_class_balance(gen, k, n):
    _, y = gen(n=n)
    counts = np.bincount(y, minlength=k)
    assert counts.sum() == n and counts.max() - counts.min() <= 1


def test_spirals_three_classes_balanced():
    _, y = spirals(n=301, num_classes=3)
    assert sorted(np.bincount(y).tolist()) == [100, 100, 101]


def test_xor_labels_follow_quadrants():
    X, y = xor(n=400, noise=0.1)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    X4, y4 = xor(n=4, noise=0.0, shuffle=False)
    np.testing.assert_array_equal(X4, [[1, 1], [-1, -1], [1, -1], [-1, 1]])
    np.testing.assert_array_equal(y4, [0, 0, 1, 1])


def test_circles_radii_and_moons_geometry():
    X, y = circles(n=200, noise=0.0, factor=0.3)
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(r[y == 1], 0.3, atol=1e-6)
    X, y = moons(n=100, noise=0.0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1, 0.5], axis=1), 1.0, atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="noise"):
        xor(noise=-1)
    with pytest.raises(ValueError, match="n must be"):
        moons(n=1)
    with pytest.raises(ValueError, match="factor"):
        circles(factor=1.5)
    with pytest.raises(ValueError, match="num_classes"):
        spirals(num_classes=1)


def test_split_sizes_examples():
    assert split_sizes(100) == [70, 15, 15]
    assert split_sizes(10) == [7, 2, 1]
    assert split_sizes(3, (1 / 3, 1 / 3, 1 / 3)) == [1, 1, 1]
    with pytest.raises(ValueError, match="fractions"):
        split_sizes(10, (0.5, 0.6, -0.1))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 500), seed=st.integers(0, 10**6), stratify=st.booleans())
def test_split_is_a_disjoint_cover(n, seed, stratify):
    X = np.arange(n, dtype=np.float32)[:, None] * np.ones((1, 2), np.float32)
    y = (np.arange(n) % 3).astype(np.int64)
    parts = train_val_test_split(X, y, seed=seed, stratify=stratify)
    ids = np.concatenate([p[0][:, 0] for p in parts]).astype(int)
    assert sorted(ids.tolist()) == list(range(n))  # disjoint and complete
    for Xp, yp in parts:
        np.testing.assert_array_equal(yp, Xp[:, 0].astype(int) % 3)  # rows stay paired
    if not stratify:
        assert [len(p[1]) for p in parts] == split_sizes(n)


def test_split_stratified_keeps_proportions_and_is_deterministic():
    X, y = xor(n=200)
    a = train_val_test_split(X, y, seed=1, stratify=True)
    b = train_val_test_split(X, y, seed=1, stratify=True)
    for (Xa, ya), (Xb, yb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)
    assert [int(p[1].sum()) for p in a] == [70, 15, 15]
    c = train_val_test_split(X, y, seed=2, stratify=True)
    assert not np.array_equal(a[0][0], c[0][0])


def test_split_bad_input():
    with pytest.raises(ValueError, match="same n"):
        train_val_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="3 entries"):
        train_val_test_split(np.zeros((5, 2)), np.zeros(5), fractions=(0.5, 0.5))
