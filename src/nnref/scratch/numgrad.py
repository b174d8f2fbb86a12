"""Numerical gradients by finite differences, and a gradient checker (NumPy only).

Forward difference ``(f(x + h) - f(x)) / h`` has error ``O(h)``; central difference
``(f(x + h) - f(x - h)) / 2h`` has error ``O(h^2)``. Both also carry a rounding error of about
``eps * |f| / h`` (``eps ~ 1e-16`` in float64), so ``h`` can be too small as well as too large.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "gradcheck"]

METHODS = ("central", "forward")


def numerical_gradient(f, x, h: float = 1e-5, method: str = "central") -> np.ndarray:
    """``df/dx`` of a scalar function ``f(x)`` of an array ``x``, one entry at a time.

    ``f`` is called with a float64 copy of ``x`` in which one entry is moved by ``h``
    (``2 * x.size`` calls for central, ``x.size + 1`` for forward). Returns an array of
    ``x.shape``. ``x`` itself is never modified.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if not h > 0:
        raise ValueError(f"h must be > 0, got {h}")
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array stays untouched
    grad = np.zeros_like(x)
    f0 = float(f(x)) if method == "forward" else None
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = float(f(x))
        if method == "central":
            x[idx] = old - h
            grad[idx] = (f_plus - float(f(x))) / (2 * h)
        else:
            grad[idx] = (f_plus - f0) / h
        x[idx] = old
    return grad


def relative_error(a, b, eps: float = 1e-12) -> float:
    """``||a - b|| / max(||a|| + ||b||, eps)``: 0 when equal, about 1 when unrelated."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))


def gradcheck(f, x, grad, h: float = 1e-6, tol: float = 1e-6, raise_exception: bool = True) -> bool:
    """Compare an analytic gradient ``grad`` of ``f`` at ``x`` with central differences.

    Returns True when ``relative_error(grad, numerical) <= tol``; otherwise raises
    ``AssertionError`` naming the worst entry (or returns False with ``raise_exception=False``).
    ``torch.autograd.gradcheck`` has the same two modes but raises its ``GradcheckError``, a
    ``RuntimeError``, and compares entry by entry with ``atol`` and ``rtol`` instead.
    """
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape != np.shape(x):
        raise ValueError(f"grad must have the shape of x {np.shape(x)}, got {grad.shape}")
    numerical = numerical_gradient(f, x, h=h, method="central")
    error = relative_error(grad, numerical)
    if error <= tol:
        return True
    if raise_exception:
        worst = np.unravel_index(np.argmax(np.abs(grad - numerical)), grad.shape)
        raise AssertionError(
            f"gradient check failed: relative error {error:.3e} > tol {tol:.1e}; worst entry "
            f"{worst}: analytic {grad[worst]:.8g}, numerical {numerical[worst]:.8g}"
        )
    return False
