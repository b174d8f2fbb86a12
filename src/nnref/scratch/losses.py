"""NumPy loss functions mirroring ``torch.nn.functional`` (``reduction="mean"|"sum"|"none"``).

Each ``<name>_backward(grad_output, <forward inputs...>)`` returns the gradient with respect to
``input`` only: targets (and weights) are treated as constants. ``grad_output`` is a scalar for
``"mean"``/``"sum"`` and an array of the loss's shape for ``"none"``.
"""

import numpy as np

from nnref.scratch.functional import log_softmax, log_softmax_backward, sigmoid

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss, reduction, denom=None):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / (loss.size if denom is None else denom)
    raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _unreduce(grad_output, shape, reduction, denom=None):
    """Upstream gradient broadcast to the per-element loss of ``shape``."""
    g = np.asarray(grad_output, dtype=float)
    if reduction == "none":
        if g.shape != shape:
            raise ValueError(
                f"grad_output must have shape {shape} for reduction='none', got {g.shape}"
            )
        return g
    if reduction == "mean":
        g = g / (int(np.prod(shape)) if denom is None else denom)
    return np.broadcast_to(g, shape)


def _check_same(input, target):
    if input.shape != target.shape:
        raise ValueError(f"target must have the input's shape {input.shape}, got {target.shape}")


def mse_loss(input, target, reduction="mean"):
    """``(x - y)^2`` reduced; input and target of the same shape."""
    _check_same(input, target)
    return _reduce((input - target) ** 2, reduction)


def mse_loss_backward(grad_output, input, target, reduction="mean"):
    """``2 (x - y) g`` (divided by the element count for ``"mean"``)."""
    return 2.0 * (input - target) * _unreduce(grad_output, input.shape, reduction)


def l1_loss(input, target, reduction="mean"):
    """``|x - y|`` reduced."""
    _check_same(input, target)
    return _reduce(np.abs(input - target), reduction)


def l1_loss_backward(grad_output, input, target, reduction="mean"):
    """``sign(x - y) g`` (torch uses 0 at ``x == y``)."""
    return np.sign(input - target) * _unreduce(grad_output, input.shape, reduction)


def _class_last(input, target):
    """Move the class dim (1, or 0 for an unbatched ``(C,)`` input) last; check the target shape."""
    if input.ndim == 0:
        raise ValueError("input must have shape (C,), (N, C) or (N, C, d1, ...), got a scalar")
    x = input[None] if input.ndim == 1 else input
    expected = (x.shape[0],) + x.shape[2:]
    t = np.asarray(target)
    t = t[None] if input.ndim == 1 else t
    if t.shape != expected or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(
            f"target must be integer class indices of shape {expected if input.ndim > 1 else ()} "
            f"for input {input.shape}, got {np.asarray(target).dtype} {np.asarray(target).shape}"
        )
    return np.moveaxis(x, 1, -1), t


def _nll_parts(input, target, weight, ignore_index):
    x, t = _class_last(input, target)
    C = x.shape[-1]
    w = np.ones(C) if weight is None else weight
    if w.shape != (C,):
        raise ValueError(f"weight must have shape ({C},), got {w.shape}")
    valid = t != ignore_index
    t_safe = np.where(valid, t, 0)
    if np.any((t_safe < 0) | (t_safe >= C)):
        raise ValueError(f"target values must lie in [0, {C - 1}] (or equal ignore_index)")
    w_t = np.where(valid, w[t_safe], 0.0)
    return x, t_safe, w_t


def nll_loss(input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """``-w[t] * input[n, t]`` per element; ``"mean"`` divides by ``sum w[t]`` like torch."""
    x, t, w_t = _nll_parts(input, target, weight, ignore_index)
    loss = -np.take_along_axis(x, t[..., None], axis=-1)[..., 0] * w_t
    if input.ndim == 1 and reduction == "none":
        loss = loss[0]
    return _reduce(loss, reduction, w_t.sum())


def nll_loss_backward(
    grad_output, input, target, weight=None, *, ignore_index=-100, reduction="mean"
):
    """``d input[n, t_n] = -w[t_n] g_n``, zero elsewhere."""
    x, t, w_t = _nll_parts(input, target, weight, ignore_index)
    g = np.asarray(grad_output, dtype=float)
    g = g[None] if input.ndim == 1 and reduction == "none" else g
    g = _unreduce(g, w_t.shape, reduction, w_t.sum())
    grad = np.zeros_like(x, dtype=float)
    np.put_along_axis(grad, t[..., None], (-w_t * g)[..., None], axis=-1)
    grad = np.moveaxis(grad, -1, 1)
    return grad[0] if input.ndim == 1 else grad


def cross_entropy(input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """``nll_loss(log_softmax(input, dim=1), target)`` on logits ``(N, C, *)``.

    ``target`` is class indices ``(N, *)`` or class probabilities of the input's shape
    (then ``"mean"`` divides by ``N * prod(*)``).
    """
    dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    if np.issubdtype(np.asarray(target).dtype, np.floating):
        _check_same(input, target)
        w = 1.0 if weight is None else weight.reshape((-1,) + (1,) * (input.ndim - 1 - dim))
        loss = -(w * target * logp).sum(axis=dim)
        return _reduce(loss, reduction)
    return nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)


def cross_entropy_backward(
    grad_output, input, target, weight=None, *, ignore_index=-100, reduction="mean"
):
    """``softmax(x) * sum(w y) - w y`` times ``g`` (for indices ``y`` is one-hot)."""
    dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    if np.issubdtype(np.asarray(target).dtype, np.floating):
        w = 1.0 if weight is None else weight.reshape((-1,) + (1,) * (input.ndim - 1 - dim))
        loss_shape = input.shape[:dim] + input.shape[dim + 1 :]
        g = np.expand_dims(_unreduce(grad_output, loss_shape, reduction), dim)
        return log_softmax_backward(-w * target * g, input, dim)
    g_logp = nll_loss_backward(
        grad_output, logp, target, weight, ignore_index=ignore_index, reduction=reduction
    )
    return log_softmax_backward(g_logp, input, dim)


def binary_cross_entropy(input, target, weight=None, *, reduction="mean"):
    """``-w (y log p + (1 - y) log(1 - p))`` on probabilities ``p``; logs clamped at -100."""
    _check_same(input, target)
    if np.any((input < 0) | (input > 1)):
        raise ValueError(
            "input must hold probabilities in [0, 1] "
            "(use binary_cross_entropy_with_logits for logits)"
        )
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(input), -100.0)
        log_1mp = np.maximum(np.log1p(-input), -100.0)
    loss = -(target * log_p + (1 - target) * log_1mp)
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_backward(grad_output, input, target, weight=None, *, reduction="mean"):
    """``w (p - y) / max(p (1 - p), 1e-12)`` times ``g`` (torch's clamp of the denominator)."""
    g = _unreduce(grad_output, input.shape, reduction)
    grad = (input - target) / np.maximum(input * (1 - input), 1e-12) * g
    return grad if weight is None else weight * grad


def binary_cross_entropy_with_logits(
    input, target, weight=None, *, reduction="mean", pos_weight=None
):
    """BCE of ``sigmoid(x)`` computed stably from the logit ``x``.

    ``(1 - y) x + (1 + (pw - 1) y) (log(1 + e^{-|x|}) + max(-x, 0))``, which for ``pw = 1`` is
    ``max(x, 0) - x y + log(1 + e^{-|x|})``: no ``exp`` of a large positive number, no ``log 0``.
    """
    _check_same(input, target)
    lw = 1.0 if pos_weight is None else 1.0 + (pos_weight - 1.0) * target
    softplus_neg = np.log1p(np.exp(-np.abs(input))) + np.maximum(-input, 0.0)  # log(1 + e^{-x})
    loss = (1 - target) * input + lw * softplus_neg
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_with_logits_backward(
    grad_output, input, target, weight=None, *, reduction="mean", pos_weight=None
):
    """``((1 - y) - lw (1 - sigmoid(x))) g``; for ``pw = 1`` this is ``(sigmoid(x) - y) g``."""
    g = _unreduce(grad_output, input.shape, reduction)
    lw = 1.0 if pos_weight is None else 1.0 + (pos_weight - 1.0) * target
    grad = ((1 - target) - lw * sigmoid(-input)) * g
    return grad if weight is None else weight * grad
