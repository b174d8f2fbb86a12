"""A two-layer sigmoid MLP in NumPy, backpropagated by hand layer by layer.

``z1 = linear(x, W1, b1)``, ``a1 = sigmoid(z1)``, ``z2 = linear(a1, W2, b2)``, ``a2 = sigmoid(z2)``,
with torch's Linear layout: ``W1 (hidden, in)``, ``b1 (hidden,)``, ``W2 (out, hidden)``,
``b2 (out,)``; ``x`` is ``(N, in)``. The backward runs the same ops' backwards in reverse order
from what the forward stored (the package's cache convention, see :mod:`nnref.scratch`): the
second linear's backward reads the stored ``a1``, and each sigmoid's backward recomputes the
sigmoid from the stored pre-activation ``z1`` or ``z2`` (``a2`` is not stored). The loss used with
it on the manual-backprop page is :func:`~nnref.scratch.losses.half_sse_loss`.
"""

from __future__ import annotations

from nnref.scratch._validate import check_array
from nnref.scratch.functional import linear, linear_backward, sigmoid, sigmoid_backward

__all__ = ["mlp2_forward", "mlp2_backward"]


def mlp2_forward(x, W1, b1, W2, b2):
    """Returns ``(a2, cache)``: ``a2`` is ``(N, out)``; ``cache`` is a dict of the arguments by
    name plus ``z1``, ``a1``, ``z2``, what :func:`mlp2_backward` reads."""
    check_array("x", x)
    check_array("W1", W1, ndim=2)
    check_array("W2", W2, ndim=2)
    if x.ndim != 2 or x.shape[1] != W1.shape[1]:
        raise ValueError(f"x must have shape (N, {W1.shape[1]}), got {x.shape}")
    if W2.shape[1] != W1.shape[0]:
        raise ValueError(f"W2 must have shape (out, {W1.shape[0]}), got {W2.shape}")
    z1 = linear(x, W1, b1)
    a1 = sigmoid(z1)
    z2 = linear(a1, W2, b2)
    cache = dict(x=x, W1=W1, b1=b1, W2=W2, b2=b2, z1=z1, a1=a1, z2=z2)
    return sigmoid(z2), cache


def mlp2_backward(grad_output, cache):
    """Gradients given ``grad_output = dL/da2 (N, out)``: upstream times local, layer by layer.

    Returns a dict keyed by :func:`mlp2_forward`'s argument names: ``x``, ``W1``, ``b1``, ``W2``,
    ``b2``. ``sigmoid'(z) = s (1 - s)`` with ``s = sigmoid(z)`` recomputed from the cached ``z``;
    each linear layer hands back ``dx = g W``, ``dW = g^T x``, ``db = sum g``.
    """
    grad_z2 = sigmoid_backward(grad_output, cache["z2"])
    grad_a1, grad_W2, grad_b2 = linear_backward(grad_z2, cache["a1"], cache["W2"], cache["b2"])
    grad_z1 = sigmoid_backward(grad_a1, cache["z1"])
    grad_x, grad_W1, grad_b1 = linear_backward(grad_z1, cache["x"], cache["W1"], cache["b1"])
    return {"x": grad_x, "W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
