"""The shipped digits set equals scikit-learn's copy; loaders keep nnref.data free of torch."""

import numpy as np
import pytest

from nnref.data import digits_datasets, digits_split, load_digits


def test_equals_sklearn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    ref = sklearn_datasets.load_digits()
    images, labels = load_digits()
    assert images.dtype == np.uint8 and images.shape == (1797, 8, 8)
    assert labels.dtype == np.int64 and labels.shape == (1797,)
    np.testing.assert_array_equal(images, ref.images)
    np.testing.assert_array_equal(labels, ref.target)


def test_values_and_classes():
    images, labels = load_digits()
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_split_is_stratified_disjoint_and_deterministic():
    (xtr, ytr), (xva, yva), (xte, yte) = digits_split(seed=0)
    assert xtr.shape[1:] == (1, 8, 8) and xtr.dtype == np.float32
    assert len(ytr) + len(yva) + len(yte) == 1797
    assert 0.0 <= xtr.min() and xtr.max() <= 1.0
    for y in (ytr, yva, yte):
        assert np.bincount(y, minlength=10).min() > 0  # every class in every part
    all_x = np.concatenate([xtr, xva, xte]).reshape(1797, -1)
    n_distinct = len(np.unique(load_digits()[0].reshape(1797, -1), axis=0))
    assert len(np.unique(all_x, axis=0)) == n_distinct
    (xtr2, ytr2), _, _ = digits_split(seed=0)
    np.testing.assert_array_equal(xtr, xtr2)
    np.testing.assert_array_equal(ytr, ytr2)


def test_torch_datasets():
    train, val, test = digits_datasets()
    x, y = train[0]
    assert tuple(x.shape) == (1, 8, 8) and y.dtype.is_floating_point is False
    assert len(train) + len(val) + len(test) == 1797
