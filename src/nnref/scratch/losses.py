"""NumPy loss functions mirroring ``torch.nn.functional`` (``reduction="mean"|"sum"|"none"``).

Each ``<name>_backward(grad_output, <forward inputs...>)`` returns the gradient with respect to
``input`` only: targets (and weights) are treated as constants. ``grad_output`` is a scalar for
``"mean"``/``"sum"`` and an array of the loss's shape for ``"none"``. Losses and gradients keep the
input's floating dtype (float32 in, float32 out); class weights must have that dtype, like in torch.
"""

import numpy as np

from nnref.scratch._validate import check_array, check_float, check_grad, check_param
from nnref.scratch.functional import log_softmax, log_softmax_backward, sigmoid

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _reduce(loss, reduction, denom=None):
    _check_reduction(reduction)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 is nan, as in torch
        return loss.sum() / (loss.size if denom is None else denom)


def _unreduce(grad_output, shape, reduction, like, denom=None):
    """Upstream gradient broadcast to the per-element loss of ``shape``, in ``like``'s dtype."""
    _check_reduction(reduction)
    if reduction == "none":
        return check_grad(grad_output, shape, like)
    g = check_grad(grad_output, (), like)
    if reduction == "mean":
        denom = int(np.prod(shape)) if denom is None else denom
        g = g / denom if denom != 0 else g * 0  # nothing was averaged: torch's gradient is 0
    return np.broadcast_to(g, shape)


def _as_target(input, target, same_dtype=False):
    """``target`` of the input's shape. An integer/bool target is used in the input's dtype; a
    floating one promotes like in torch (float32 input, float64 target: float64 loss), except
    where torch wants the input's dtype (``same_dtype``)."""
    check_float("input", input)
    check_array("target", target)
    if target.shape != input.shape:
        raise ValueError(f"target must have the input's shape {input.shape}, got {target.shape}")
    if same_dtype:
        return check_param("target", target, input)
    if not np.issubdtype(target.dtype, np.floating):
        return target.astype(input.dtype)
    return target


def _elementwise_weight(name, weight, input, shape=None):
    """A floating ``weight`` that broadcasts to ``shape`` (the input's), in the input's dtype."""
    if weight is None:
        return None
    check_float(name, weight)
    shape = input.shape if shape is None else shape
    try:
        np.broadcast_shapes(weight.shape, shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {weight.shape} does not broadcast to the input's shape {input.shape}"
        ) from None
    return weight.astype(input.dtype, copy=False)  # torch computes in the input's dtype


def mse_loss(input, target, reduction="mean"):
    """``(x - y)^2`` reduced; input and target of the same shape."""
    return _reduce((input - _as_target(input, target)) ** 2, reduction)


def _like_input(grad, input):
    """The gradient as an array of the input's dtype (also for a 0-d input, and when a float64
    target promoted the arithmetic): torch's gradient has the dtype of what it differentiates."""
    return np.asarray(grad, dtype=input.dtype)


def mse_loss_backward(grad_output, input, target, reduction="mean"):
    """``2 (x - y) g`` (divided by the element count for ``"mean"``)."""
    diff = input - _as_target(input, target)
    return _like_input(2.0 * diff * _unreduce(grad_output, input.shape, reduction, input), input)


def half_sse_loss(input, target):
    """``0.5 * sum((x - y)^2)``: :func:`mse_loss` with ``reduction="sum"``, halved, so that its
    gradient is ``x - y`` (the loss of the two-layer sigmoid MLP on the manual-backprop page)."""
    return 0.5 * mse_loss(input, target, reduction="sum")


def half_sse_loss_backward(grad_output, input, target):
    """``(x - y) g``."""
    return 0.5 * mse_loss_backward(grad_output, input, target, reduction="sum")


def l1_loss(input, target, reduction="mean"):
    """``|x - y|`` reduced."""
    return _reduce(np.abs(input - _as_target(input, target)), reduction)


def l1_loss_backward(grad_output, input, target, reduction="mean"):
    """``sign(x - y) g`` (torch uses 0 at ``x == y``)."""
    diff = input - _as_target(input, target)
    return _like_input(np.sign(diff) * _unreduce(grad_output, input.shape, reduction, input), input)


def _class_last(input, target):
    """Move the class dim (1, or 0 for an unbatched ``(C,)`` input) last; check the target shape."""
    check_float("input", input)
    if input.ndim == 0:
        raise ValueError("input must have shape (C,), (N, C) or (N, C, d1, ...), got a scalar")
    if not isinstance(target, (np.ndarray, np.integer)):
        raise TypeError(f"target must be a numpy.ndarray of class indices, got {type(target).__name__}")
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
    """Class-last input, safe targets, ``w[t]`` (0 where ignored) and the class weights."""
    x, t = _class_last(input, target)
    C = x.shape[-1]
    w = np.ones(C, input.dtype) if weight is None else check_param("weight", weight, input, (C,))
    valid = t != ignore_index
    t_safe = np.where(valid, t, 0)
    if np.any((t_safe < 0) | (t_safe >= C)):
        raise ValueError(f"target values must lie in [0, {C - 1}] (or equal ignore_index)")
    w_t = np.where(valid, w[t_safe], 0).astype(input.dtype, copy=False)
    return x, t_safe, valid, w_t, w


def nll_loss(input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """``-w[t] * input[n, t]`` per element; ``"mean"`` divides by ``sum w[t]`` like torch.

    input: log-probabilities ``(N, C, *)`` or ``(C,)``; target: class indices ``(N, *)`` or ``()``.
    When every target is ``ignore_index`` the mean is nan (0 / 0), as in torch.
    """
    x, t, _, w_t, _ = _nll_parts(input, target, weight, ignore_index)
    loss = -np.take_along_axis(x, t[..., None], axis=-1)[..., 0] * w_t
    if input.ndim == 1 and reduction == "none":
        loss = loss[0]
    return _reduce(loss, reduction, w_t.sum())


def nll_loss_backward(grad_output, input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """``d input[n, t_n] = -w[t_n] g_n``, zero elsewhere (all zero when every target is ignored)."""
    x, t, _, w_t, _ = _nll_parts(input, target, weight, ignore_index)
    g = _unreduce(grad_output, w_t.shape[1:] if input.ndim == 1 else w_t.shape, reduction, input, w_t.sum())
    g = g.reshape(w_t.shape)
    grad = np.zeros_like(x)
    np.put_along_axis(grad, t[..., None], (-w_t * g)[..., None], axis=-1)
    grad = np.moveaxis(grad, -1, 1)
    return grad[0] if input.ndim == 1 else grad


def _check_smoothing(label_smoothing):
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float, np.integer, np.floating)):
        raise TypeError(f"label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    return float(label_smoothing)


def _is_probabilities(target):
    return isinstance(target, (np.ndarray, np.floating)) and np.issubdtype(np.asarray(target).dtype, np.floating)


def _soft_targets(input, target, weight, eps, dim):
    """``w_c q_c`` with ``q = (1 - eps) y + eps / C`` for probability targets ``y``."""
    if np.shape(target) != input.shape:  # a floating target of another shape: meant as indices?
        raise ValueError(
            f"a floating target holds class probabilities of the input's shape {input.shape}, got shape "
            f"{np.shape(target)}; class indices must be an integer array, e.g. target.astype(np.int64)"
        )
    target = _as_target(input, target)
    C = input.shape[dim]
    q = target * (1 - eps) + eps / C if eps else target
    if weight is None:
        return q
    check_param("weight", weight, input, (C,))
    return weight.reshape((-1,) + (1,) * (input.ndim - 1 - dim)) * q


def _smoothing_term(logp, target, weight, ignore_index):
    """Class-last ``-sum_c w_c log p_c`` per element (0 where ignored), ``valid``, ``w[t]``, ``w``."""
    x, _, valid, w_t, w = _nll_parts(logp, target, weight, ignore_index)
    return np.where(valid, -(x * w).sum(axis=-1), 0), valid, w_t, w


def cross_entropy(input, target, weight=None, *, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """``nll_loss(log_softmax(input, dim=1), target)`` on logits ``(N, C, *)`` (or ``(C,)``).

    ``target`` is class indices ``(N, *)`` or class probabilities of the input's shape (then
    ``"mean"`` divides by ``N * prod(*)``). ``label_smoothing = eps`` mixes the target with the
    uniform distribution, ``q = (1 - eps) y + eps / C``, as in torch: for indices the loss is
    ``(1 - eps) nll + (eps / C) * (-sum_c w_c log p_c)`` (0 for ignored targets) and ``"mean"``
    divides both terms by ``sum w[t]``.
    """
    check_float("input", input, min_ndim=1)
    eps, dim = _check_smoothing(label_smoothing), 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    if _is_probabilities(target):
        loss = -(_soft_targets(input, target, weight, eps, dim) * logp).sum(axis=dim)
        return _reduce(loss, reduction)
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if eps == 0:
        return loss
    smooth, _, w_t, w = _smoothing_term(logp, target, weight, ignore_index)
    smooth = smooth[0] if input.ndim == 1 and reduction == "none" else smooth
    return (1 - eps) * loss + eps / w.size * _reduce(smooth, reduction, w_t.sum())


def cross_entropy_backward(
    grad_output,
    input,
    target,
    weight=None,
    *,
    ignore_index=-100,
    reduction="mean",
    label_smoothing=0.0,
):
    """``(softmax(x) * sum_c(w_c q_c) - w q) * g``, ``q`` the (smoothed) one-hot or soft target."""
    check_float("input", input, min_ndim=1)
    eps, dim = _check_smoothing(label_smoothing), 0 if input.ndim == 1 else 1
    logp = log_softmax(input, dim)
    loss_shape = input.shape[:dim] + input.shape[dim + 1 :]
    if _is_probabilities(target):
        g = np.expand_dims(_unreduce(grad_output, loss_shape, reduction, input), dim)
        return log_softmax_backward(-_soft_targets(input, target, weight, eps, dim) * g, input, dim)
    g_logp = nll_loss_backward(grad_output, logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if eps:  # the smoothing term hands -w_c g_n to every log p_c of a kept element
        _, valid, w_t, w = _smoothing_term(logp, target, weight, ignore_index)
        g = _unreduce(grad_output, loss_shape, reduction, input, w_t.sum()).reshape(valid.shape)
        g_smooth = np.moveaxis(-np.where(valid, g, 0)[..., None] * w, -1, 1)
        g_logp = (1 - eps) * g_logp + eps / w.size * (g_smooth[0] if input.ndim == 1 else g_smooth)
    return log_softmax_backward(g_logp, input, dim)


def binary_cross_entropy(input, target, weight=None, *, reduction="mean"):
    """``-w (y log p + (1 - y) log(1 - p))`` on probabilities ``p``; logs clamped at -100."""
    target = _as_target(input, target, same_dtype=True)
    weight = _elementwise_weight("weight", weight, input)
    if not np.all((input >= 0) & (input <= 1)):  # nan is refused too, as in torch
        raise ValueError("input must hold probabilities in [0, 1] (use binary_cross_entropy_with_logits for logits)")
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(input), -100.0)
        log_1mp = np.maximum(np.log1p(-input), -100.0)
    loss = -(target * log_p + (1 - target) * log_1mp)
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_backward(grad_output, input, target, weight=None, *, reduction="mean"):
    """``w (p - y) / max(p (1 - p), 1e-12)`` times ``g`` (torch's clamp of the denominator)."""
    target = _as_target(input, target, same_dtype=True)
    weight = _elementwise_weight("weight", weight, input)
    g = _unreduce(grad_output, input.shape, reduction, input)
    grad = (input - target) / np.maximum(input * (1 - input), 1e-12) * g
    return _like_input(grad if weight is None else weight * grad, input)


def _logit_weights(input, weight, pos_weight):
    """``weight`` and ``pos_weight`` (per class: broadcast along the last dim), checked."""
    return (_elementwise_weight("weight", weight, input), _elementwise_weight("pos_weight", pos_weight, input))


def binary_cross_entropy_with_logits(input, target, weight=None, *, reduction="mean", pos_weight=None):
    """BCE of ``p = sigmoid(x)``, computed stably from the logit ``x``.

    ``(1 - y) x + (1 + (pw - 1) y) (log(1 + e^{-|x|}) + max(-x, 0))``, which for ``pw = 1`` is
    ``max(x, 0) - x y + log(1 + e^{-|x|})``: no ``exp`` of a large positive number, no ``log 0``.
    """
    target = _as_target(input, target)
    weight, pos_weight = _logit_weights(input, weight, pos_weight)
    lw = 1.0 if pos_weight is None else 1.0 + (pos_weight - 1.0) * target
    softplus_neg = np.log1p(np.exp(-np.abs(input))) + np.maximum(-input, 0.0)  # log(1 + e^{-x})
    loss = (1 - target) * input + lw * softplus_neg
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_with_logits_backward(
    grad_output, input, target, weight=None, *, reduction="mean", pos_weight=None
):
    """``((1 - y) - lw (1 - sigmoid(x))) g``; for ``pw = 1`` this is ``(sigmoid(x) - y) g``."""
    target = _as_target(input, target)
    weight, pos_weight = _logit_weights(input, weight, pos_weight)
    g = _unreduce(grad_output, input.shape, reduction, input)
    lw = 1.0 if pos_weight is None else 1.0 + (pos_weight - 1.0) * target
    grad = ((1 - target) - lw * sigmoid(np.asarray(-input))) * g  # asarray: -x of a 0-d array is a scalar
    return _like_input(grad if weight is None else weight * grad, input)
