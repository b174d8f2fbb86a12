"""NumPy forward/backward of layers and activations, mirroring ``torch.nn.functional``.

Every ``<op>_backward(grad_output, <op's arguments...>)`` takes the upstream gradient followed by
the arguments of the forward call and returns the gradients of the forward's *array* inputs, in
the forward's order (a tuple when there is more than one), as torch's autograd would. A random
op's draw is one of its arguments: dropout's ``mask``. Losses live in :mod:`nnref.scratch.losses`.
"""

import math

import numpy as np

from nnref.scratch._validate import check_array, check_float, check_grad, check_param


def _check_dim(name, dim, ndim):
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {dim!r}")
    if not -ndim <= dim < ndim:
        raise ValueError(f"{name}={dim} is out of range for an input with {ndim} dimensions")


# ---------------------------------------------------------------- linear
def linear(input, weight, bias=None):
    """``y = x W^T + b``; x ``(*, in)``, W ``(out, in)``, b ``(out,)`` -> ``(*, out)``."""
    _check_linear(input, weight, bias)
    out = input @ weight.T
    return out if bias is None else out + bias


def _check_linear(input, weight, bias):
    check_array("input", input, min_ndim=1)
    check_array("weight", weight, ndim=2)
    if input.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"input last dimension {input.shape[-1]} must equal weight.shape[1]={weight.shape[1]} "
            f"(weight has shape (out_features, in_features) = {weight.shape})"
        )
    check_param("weight", weight, input)
    check_param("bias", bias, input, (weight.shape[0],))


def linear_backward(grad_output, input, weight, bias=None):
    """Returns ``(grad_input, grad_weight, grad_bias)``; ``grad_bias`` is None without a bias.

    ``dx = g W``, ``dW = g^T x`` (summed over all leading dims), ``db = sum g``.
    """
    _check_linear(input, weight, bias)
    grad_output = check_grad(grad_output, input.shape[:-1] + weight.shape[:1], input)
    grad_input = grad_output @ weight
    g2 = grad_output.reshape(-1, weight.shape[0])
    grad_weight = g2.T @ input.reshape(-1, weight.shape[1])
    grad_bias = None if bias is None else g2.sum(axis=0)
    return grad_input, grad_weight, grad_bias


# ---------------------------------------------------------------- activations
# Activations keep the input's dtype; like torch, relu/sigmoid/tanh also take integer arrays
# (relu stays integer, sigmoid/tanh give float32, torch's default dtype), gelu does not.


def _floating(input):
    """``input`` itself when floating; an integer or bool array as float32, as torch promotes it."""
    return input if np.issubdtype(input.dtype, np.floating) else input.astype(np.float32)


def relu(input):
    """``max(x, 0)``."""
    check_array("input", input)
    return np.maximum(input, 0)


def relu_backward(grad_output, input):
    """``g`` where ``x > 0``, else 0 (torch uses 0 as the derivative at 0, and passes ``g``
    where ``x`` is nan, as ``x <= 0`` is false there)."""
    grad_output = check_grad(grad_output, input.shape, input)
    return np.where(input <= 0, np.zeros((), grad_output.dtype), grad_output)


def sigmoid(input):
    """``1 / (1 + e^{-x})``, computed without overflow for large ``|x|``."""
    input = _floating(check_array("input", input))
    e = np.exp(-np.abs(input))
    return np.where(input >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_backward(grad_output, input):
    """``g * s (1 - s)`` with ``s = sigmoid(x)``."""
    grad_output = check_grad(grad_output, input.shape, input)
    s = sigmoid(input)
    return grad_output * s * (1.0 - s)


def tanh(input):
    """``tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})``."""
    return np.tanh(_floating(check_array("input", input)))


def tanh_backward(grad_output, input):
    """``g * (1 - tanh(x)^2)``."""
    return check_grad(grad_output, input.shape, input) * (1.0 - np.tanh(input) ** 2)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_erf_float64 = np.vectorize(math.erf, otypes=[float])


def _erf(x):
    return _erf_float64(x).astype(x.dtype, copy=False)  # math.erf works in float64


def gelu(input, approximate="none"):
    """``x Phi(x)`` (exact, erf) or ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""
    check_float("input", input)
    if approximate == "none":
        return 0.5 * input * (1.0 + _erf(input / math.sqrt(2.0)))
    if approximate == "tanh":
        return 0.5 * input * (1.0 + np.tanh(_SQRT_2_OVER_PI * (input + 0.044715 * input**3)))
    raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


def gelu_backward(grad_output, input, approximate="none"):
    """Exact: ``g (Phi(x) + x phi(x))``; tanh form: derivative of the tanh formula."""
    grad_output = check_grad(grad_output, input.shape, input)
    x = input
    if approximate == "none":
        cdf = 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return grad_output * (cdf + x * pdf)
    if approximate == "tanh":
        u = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
        t = np.tanh(u)
        du = _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x)
        return grad_output * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du)
    raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


def _check_softmax(input, dim):
    check_float("input", input, min_ndim=1)
    _check_dim("dim", dim, input.ndim)


def softmax(input, dim):
    """``e^{x_i - max} / sum_j e^{x_j - max}`` along ``dim`` (the shift avoids overflow)."""
    _check_softmax(input, dim)
    if input.shape[dim] == 0:  # nothing to normalise: an empty result, as torch
        return input.copy()
    z = input - input.max(axis=dim, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=dim, keepdims=True)


def softmax_backward(grad_output, input, dim):
    """``y * (g - sum(g * y))`` along ``dim``, ``y = softmax(x)`` (VJP of the softmax Jacobian)."""
    grad_output = check_grad(grad_output, input.shape, input)
    y = softmax(input, dim)
    return y * (grad_output - (grad_output * y).sum(axis=dim, keepdims=True))


def log_softmax(input, dim):
    """``x - max - log sum e^{x - max}`` along ``dim`` (the log-sum-exp trick)."""
    _check_softmax(input, dim)
    if input.shape[dim] == 0:
        return input.copy()
    z = input - input.max(axis=dim, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=dim, keepdims=True))


def log_softmax_backward(grad_output, input, dim):
    """``g - softmax(x) * sum(g)`` along ``dim``."""
    grad_output = check_grad(grad_output, input.shape, input)
    return grad_output - softmax(input, dim) * grad_output.sum(axis=dim, keepdims=True)


# ---------------------------------------------------------------- regularisation layers
def _check_p(p):
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"p must be a number in [0, 1], got {p!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    return float(p)  # a Python float keeps float32 arithmetic in float32


def _dropout_scale(p):
    return 0.0 if p == 1.0 else 1.0 / (1.0 - p)


def dropout_mask(shape, p=0.5, rng=None, dtype=float):
    """A 0/1 keep mask with ``P(1) = 1 - p`` drawn from ``rng`` (a ``numpy.random.Generator``)."""
    p = _check_p(p)
    rng = np.random.default_rng() if rng is None else rng
    return np.asarray(rng.random(shape) >= p).astype(dtype)  # asarray: a 0-d comparison is a scalar


def dropout(input, p=0.5, training=True, *, rng=None, mask=None):
    """Inverted dropout ``x * m / (1 - p)``, ``m ~ Bernoulli(1 - p)``; identity when not training.

    For reproducibility pass ``rng`` (a ``numpy.random.Generator``) or a 0/1 ``mask`` of
    ``input``'s shape (from :func:`dropout_mask`); keep the mask to call the backward.
    The output has the input's dtype; in training the input must be floating (as in torch).
    """
    p = _check_p(p)
    check_array("input", input)
    if not training or p == 0.0:
        return input.copy()
    check_float("input", input)
    if mask is None:
        mask = dropout_mask(input.shape, p, rng, input.dtype)
    mask = _check_mask(mask, input.shape, input.dtype)
    return input * mask * _dropout_scale(p)


def _check_mask(mask, shape, dtype):
    check_array("mask", mask)
    if mask.shape != shape:
        raise ValueError(f"mask must have the input's shape {shape}, got {mask.shape}")
    return mask.astype(dtype, copy=False)


def dropout_backward(grad_output, input, p=0.5, training=True, *, mask=None):
    """``g * m / (1 - p)`` (training) or ``g`` (eval), in the input's dtype.

    ``mask`` is the one the forward used; it is required in training (with ``p > 0``), since the
    backward cannot draw the same mask again.
    """
    p = _check_p(p)
    grad_output = check_grad(grad_output, input.shape, input)
    if not training or p == 0.0:
        return grad_output.copy()
    if mask is None:
        raise ValueError("mask is required in training: pass the mask the forward used (see dropout_mask)")
    return grad_output * _check_mask(mask, input.shape, input.dtype) * _dropout_scale(p)


def _bn_axes(input, running_mean, running_var, weight, bias, training):
    """Checks the arguments; returns the reduction axes and the per-channel broadcast shape."""
    check_float("input", input, min_ndim=2)
    C = input.shape[1]
    if training and input.size // C <= 1:  # checked first, as in torch
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    for name, a in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        check_param(name, a, input, (C,))
    if not training and (running_mean is None or running_var is None):
        raise ValueError("running_mean and running_var are required when training=False")
    return (0,) + tuple(range(2, input.ndim)), (1, -1) + (1,) * (input.ndim - 2)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """``y = (x - mu) / sqrt(var + eps) * weight + bias`` per channel (dim 1) of ``(N, C, *)``.

    Training: ``mu, var`` are the biased batch statistics over all dims but 1, and the running
    stats are updated in place like torch: ``r = (1 - momentum) r + momentum * stat`` with the
    *unbiased* variance. Eval: uses ``running_mean``/``running_var``. Raises like torch when a
    training batch has one value per channel.
    """
    axes, bshape = _bn_axes(input, running_mean, running_var, weight, bias, training)
    momentum, eps = float(momentum), float(eps)
    if training:
        n = input.size // input.shape[1]
        mu = input.mean(axis=axes)
        var = input.var(axis=axes)
        if running_mean is not None:
            running_mean *= 1.0 - momentum
            running_mean += momentum * mu
        if running_var is not None:
            running_var *= 1.0 - momentum
            running_var += momentum * var * n / (n - 1)
    else:
        mu, var = running_mean, running_var
    out = (input - mu.reshape(bshape)) / np.sqrt(var.reshape(bshape) + eps)
    if weight is not None:
        out = out * weight.reshape(bshape)
    if bias is not None:
        out = out + bias.reshape(bshape)
    return out


def batch_norm_backward(
    grad_output, input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5
):
    """Returns ``(grad_input, grad_weight, grad_bias)`` (None for an absent weight/bias).

    Takes the forward's arguments in the forward's order; ``momentum`` only moves the running
    statistics, so the gradients do not depend on it.

    Training: ``dx = gamma/sigma * (g - mean(g) - xhat * mean(g xhat))``;
    eval: ``dx = gamma/sigma * g``.
    Call it with the running stats as they were *before* the forward when ``training=False``.
    """
    axes, bshape = _bn_axes(input, running_mean, running_var, weight, bias, training)
    grad_output, eps = check_grad(grad_output, input.shape, input), float(eps)
    if training:
        mu, var = input.mean(axis=axes), input.var(axis=axes)
    else:
        mu, var = running_mean, running_var
    inv_std = 1.0 / np.sqrt(var.reshape(bshape) + eps)
    xhat = (input - mu.reshape(bshape)) * inv_std
    gamma = 1.0 if weight is None else weight.reshape(bshape)
    g = grad_output * gamma
    if training:
        g_mean = g.mean(axis=axes, keepdims=True)
        gx_mean = (g * xhat).mean(axis=axes, keepdims=True)
        grad_input = inv_std * (g - g_mean - xhat * gx_mean)
    else:
        grad_input = inv_std * g
    grad_weight = None if weight is None else (grad_output * xhat).sum(axis=axes)
    grad_bias = None if bias is None else grad_output.sum(axis=axes)
    return grad_input, grad_weight, grad_bias
