"""Argument checks shared by the scratch ops: every bad input gets a TypeError or ValueError that
names the argument and says what was expected, before NumPy fails somewhere inside the op.

The dtype rules follow torch: an op keeps the floating dtype of its input (float32 in, float32
out, forward and backward); parameters (weights, biases, running statistics) must have the input's
dtype, as torch refuses ``float32`` input with a ``float64`` weight; integer input is refused by the
ops that torch refuses it for, and every backward refuses it (only floating tensors have gradients).
"""

import numpy as np


def check_array(name, x, ndim=None, min_ndim=None):
    """``x`` must be a NumPy array (with ``ndim`` / at least ``min_ndim`` dimensions)."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(x).__name__}")
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {x.shape}")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimensions, got shape {x.shape}")
    return x


def check_float(name, x, ndim=None, min_ndim=None):
    """``x`` must be a floating-point NumPy array (integer arrays are refused, as in torch)."""
    check_array(name, x, ndim, min_ndim)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{name} must be a floating-point array (float32 or float64), got dtype {x.dtype}")
    return x


def check_param(name, p, like, shape=None, like_name="input"):
    """A parameter (or None): an array of ``shape`` with the dtype of the array ``like``."""
    if p is None:
        return None
    check_array(name, p)
    if shape is not None and p.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {p.shape}")
    if p.dtype != like.dtype:
        raise TypeError(
            f"{name} must have the dtype of {like_name} ({like.dtype}), got {p.dtype}; "
            f"convert one of them, e.g. {name}.astype({like_name}.dtype)"
        )
    return p


def check_grad(grad_output, shape, like, name="grad_output"):
    """``grad_output`` as an array of ``shape`` in the dtype of ``like``, the forward's input,
    which must be floating: only floating arrays have gradients.

    A number stands for an upstream gradient of that shape filled with it: ``1.0`` for the
    gradient of a reduced loss, or to get the plain derivative of an elementwise op.
    """
    check_float("input", like)
    if isinstance(grad_output, (int, float, np.number)) and not isinstance(grad_output, bool):
        return np.broadcast_to(np.asarray(grad_output, dtype=like.dtype), tuple(shape))
    if not isinstance(grad_output, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(grad_output).__name__}")
    if grad_output.shape != tuple(shape):
        raise ValueError(f"{name} must have the forward output's shape {tuple(shape)}, got {grad_output.shape}")
    return grad_output.astype(like.dtype, copy=False)


def check_int(name, value, minimum):
    """A Python/NumPy integer ``>= minimum`` (bool is not an integer here)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
