"""The 8x8 handwritten digits that ship with nnref (1797 images, 10 classes).

Source: the "Optical Recognition of Handwritten Digits" data set of the UCI Machine Learning
Repository (E. Alpaydin and C. Kaynak, 1998; https://doi.org/10.24432/C50P49), licensed
CC BY 4.0. This is the copy that scikit-learn carries as ``sklearn.datasets.load_digits``
(its test set part: 1797 images); ``digits.npz`` was written once from it and is checked
against it in ``tests/unit/test_data_digits.py``. Each image is 8x8 with integer intensities 0..16
(counts of set pixels in 4x4 blocks of a 32x32 bitmap).

NumPy only; :func:`digits_datasets` imports torch when it is called.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from nnref.data.split import train_val_test_split

__all__ = ["load_digits", "digits_split", "digits_datasets"]

N_IMAGES = 1797


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """``(images, labels)``: uint8 ``(1797, 8, 8)`` in 0..16 and int64 ``(1797,)`` in 0..9."""
    with resources.files("nnref.data").joinpath("digits.npz").open("rb") as f, np.load(f) as z:
        images, labels = z["images"], z["labels"].astype(np.int64)
    return images, labels


def digits_split(fractions=(0.6, 0.2, 0.2), seed: int = 0):
    """Stratified ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``.

    ``x`` is float32 ``(n, 1, 8, 8)`` scaled to ``[0, 1]`` (divided by 16), ready for a CNN;
    ``y`` is int64 ``(n,)``. Deterministic for a given ``seed``.
    """
    images, labels = load_digits()
    x = (images.astype(np.float32) / 16.0)[:, None]  # add the channel axis: NCHW
    return train_val_test_split(x, labels, fractions=fractions, seed=seed, stratify=True)


def digits_datasets(fractions=(0.6, 0.2, 0.2), seed: int = 0):
    """The three parts of :func:`digits_split` as ``torch.utils.data.TensorDataset``s."""
    import torch
    from torch.utils.data import TensorDataset

    return tuple(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)) for x, y in digits_split(fractions, seed))
