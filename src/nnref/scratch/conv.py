"""NumPy 2-D convolution and pooling (NCHW), mirroring ``torch.nn.functional``.

Like torch, "convolution" here is cross-correlation (the kernel is not flipped). With stride
``s``, padding ``p``, dilation ``d`` (kernel taps ``d`` cells apart) and ``groups`` ``G``:

    out[n, o, i, j] = b[o] + sum_{c, a, b} x_pad[n, g C_in/G + c, i*s + a*d, j*s + b*d] w[o, c, a, b]

where ``g = o // (C_out/G)`` is the group of output channel ``o`` and ``c`` runs over the
``C_in / G`` input channels of that group (weight ``(C_out, C_in / G, kH, kW)``). Output size
per axis: ``floor((H + 2p - d(k - 1) - 1) / s) + 1`` (pooling with ``ceil_mode`` rounds up instead,
as long as the last window starts inside the input or its left padding). Every
``<name>_backward(grad_output, <forward inputs...>)`` returns the gradients of the forward's array
inputs in order, in the input's dtype.
"""

from typing import NamedTuple

import numpy as np

from nnref.scratch._validate import check_array, check_grad, check_int, check_param

__all__ = [
    "conv_output_size",
    "unfold",
    "fold",
    "conv2d_loop",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
]


def _pair(name, value, minimum):
    """``3 -> (3, 3)``, ``(3,) -> (3, 3)`` (as torch reads a one-element tuple), ``(3, 2) -> (3, 2)``;
    a TypeError for anything else, a ValueError below ``minimum``."""
    _no_padding_string(name, value)
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    if isinstance(pair, (tuple, list)) and len(pair) == 1:
        pair = (pair[0], pair[0])
    if isinstance(value, bool) or not (
        isinstance(pair, (tuple, list))
        and len(pair) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pair)
    ):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


def _no_padding_string(name, value):
    """torch's ``padding='valid'`` and ``padding='same'`` are not supported: a NotImplementedError
    that says which numbers to pass instead."""
    if name == "padding" and isinstance(value, str):
        raise NotImplementedError(
            f"padding={value!r} is not supported: give the padding as an int or a pair of ints "
            "('valid' is padding=0; 'same' with stride 1 is dilation * (kernel_size - 1) // 2 on each "
            "side when dilation * (kernel_size - 1) is even)"
        )


def _check_nchw(input):
    """``input`` must be a 4-d ``(N, C, H, W)`` array; a 3-d one is torch's unbatched input."""
    check_array("input", input)
    if input.ndim == 3:
        raise ValueError(
            f"input must have 4 dimensions, got shape {input.shape}: an unbatched (C, H, W) input is not "
            "supported; pass input[None] (a batch of one) and take [0] of the result"
        )
    check_array("input", input, ndim=4)


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """``floor((size + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``.

    Raises ``ValueError`` when the (dilated) kernel does not fit in the padded input, or when
    stride/dilation/kernel_size < 1 or padding < 0; ``NotImplementedError`` for torch's
    ``padding='same'`` and ``padding='valid'``.
    """
    _no_padding_string("padding", padding)
    if kernel_size < 1 or stride < 1 or dilation < 1:
        raise ValueError(
            f"kernel_size, stride and dilation must be >= 1, got "
            f"kernel_size={kernel_size}, stride={stride}, dilation={dilation}"
        )
    if padding < 0:
        raise ValueError(f"padding must be >= 0, got {padding}")
    span = dilation * (kernel_size - 1) + 1  # how many input cells one kernel window covers
    if size + 2 * padding < span:
        raise ValueError(
            f"kernel of size {kernel_size} (span {span}) does not fit in input of size {size} "
            f"with padding {padding}: size + 2*padding = {size + 2 * padding} < {span}"
        )
    return (size + 2 * padding - span) // stride + 1


def _ceil_output_size(size, k, s, p, d):
    """torch's pooling size with ``ceil_mode=True``: round up, but drop a last window that would
    start in the right padding."""
    out = (size + 2 * p - d * (k - 1) - 1 + s - 1) // s + 1
    if (out - 1) * s >= size + p:
        out -= 1
    if out < 1:
        raise ValueError(f"kernel of size {k} gives no output for input of size {size}")
    return out


class _Geometry(NamedTuple):
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    out: tuple
    extra: tuple  # padding beyond the bottom/right one that the last ceil_mode window reaches


def _geometry(x_shape, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    k, s = _pair("kernel_size", kernel_size, 1), _pair("stride", stride, 1)
    p, d = _pair("padding", padding, 0), _pair("dilation", dilation, 1)
    size = _ceil_output_size if ceil_mode else conv_output_size
    out = tuple(size(x_shape[2 + a], k[a], s[a], p[a], d[a]) for a in (0, 1))
    extra = tuple(max(0, (out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - x_shape[2 + a] - 2 * p[a]) for a in (0, 1))
    return _Geometry(k, s, p, d, out, extra)


def _pad(x, geo, value=0):
    (pH, pW), (eH, eW) = geo.padding, geo.extra
    return np.pad(x, ((0, 0), (0, 0), (pH, pH + eH), (pW, pW + eW)), constant_values=value)


def _windows(x_padded, geo):
    """A strided view ``(N, C, OH, OW, kH, kW)`` of a padded input: window ``(i, j)`` starts at
    ``(i*sH, j*sW)`` and takes every ``dH``-th row and ``dW``-th column (no copy)."""
    (kH, kW), (sH, sW), _, (dH, dW), (OH, OW), _ = geo
    span = (dH * (kH - 1) + 1, dW * (kW - 1) + 1)
    win = np.lib.stride_tricks.sliding_window_view(x_padded, span, axis=(2, 3))
    return win[:, :, : (OH - 1) * sH + 1 : sH, : (OW - 1) * sW + 1 : sW, ::dH, ::dW]


def _scatter_windows(grad_win, x_shape, geo):
    """Adjoint of :func:`_windows`: add every window's gradient back onto the input grid."""
    (kH, kW), (sH, sW), (pH, pW), (dH, dW), (OH, OW), (eH, eW) = geo
    N, C, H, W = x_shape
    grad = np.zeros((N, C, H + 2 * pH + eH, W + 2 * pW + eW), dtype=grad_win.dtype)
    for a in range(kH):  # one slice per kernel offset; overlapping windows add up
        for b in range(kW):
            grad[:, :, a * dH : a * dH + (OH - 1) * sH + 1 : sH, b * dW : b * dW + (OW - 1) * sW + 1 : sW] += grad_win[
                :, :, :, :, a, b
            ]
    return grad[:, :, pH : pH + H, pW : pW + W]


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col, like ``F.unfold``: ``(N, C, H, W) -> (N, C*kH*kW, OH*OW)``, one column per window
    (rows ordered channel, kernel row, kernel column)."""
    _check_nchw(input)
    geo = _geometry(input.shape, kernel_size, stride, padding, dilation)
    win = _windows(_pad(input, geo), geo)  # (N, C, OH, OW, kH, kW)
    N, C, OH, OW, kH, kW = win.shape
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * kH * kW, OH * OW)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im, like ``F.fold`` (the adjoint of :func:`unfold`): ``(N, C*kH*kW, L)`` columns back
    onto an ``(N, C, H, W)`` grid, ``(H, W) = output_size``; overlapping entries are summed."""
    check_array("input", input, ndim=3)
    H, W = _pair("output_size", output_size, 1)
    geo = _geometry((0, 0, H, W), kernel_size, stride, padding, dilation)
    (kH, kW), (OH, OW) = geo.kernel, geo.out
    N, CKK, L = input.shape
    if CKK % (kH * kW) or L != OH * OW:
        raise ValueError(f"input must have shape (N, C*{kH}*{kW}, {OH * OW}), got {input.shape}")
    win = input.reshape(N, CKK // (kH * kW), kH, kW, OH, OW).transpose(0, 1, 4, 5, 2, 3)
    return _scatter_windows(win, (N, CKK // (kH * kW), H, W), geo)


def _check_conv(input, weight, bias, groups):
    _check_nchw(input)
    if input.dtype.kind not in "biuf":  # checked before the weight's dtype is compared with it
        raise TypeError(f"input must be a numeric array (float32 or float64), got dtype {input.dtype}")
    check_array("weight", weight, ndim=4)
    groups = check_int("groups", groups, 1)
    C_out, C_in_g = weight.shape[:2]
    if C_out < 1 or C_out % groups:
        raise ValueError(
            f"weight must have a number of output channels (dim 0) >= 1 and divisible by "
            f"groups={groups}, got weight of shape {weight.shape}"
        )
    if input.shape[1] != C_in_g * groups:
        raise ValueError(
            f"input has {input.shape[1]} channels but weight {weight.shape} with groups={groups} "
            f"expects {C_in_g * groups} (weight shape (C_out, C_in / groups, kH, kW))"
        )
    check_param("weight", weight, input)
    check_param("bias", bias, input, (C_out,))
    return groups


def conv2d_loop(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The readable reference: slide the kernel over every output position ``(i, j)``.

    input ``(N, C_in, H, W)``, weight ``(C_out, C_in / groups, kH, kW)``, bias ``(C_out,)``
    -> ``(N, C_out, OH, OW)``. Same result as :func:`conv2d`, only slower.
    """
    groups = _check_conv(input, weight, bias, groups)
    geo = _geometry(input.shape, weight.shape[2:], stride, padding, dilation)
    (kH, kW), (sH, sW), _, (dH, dW), (OH, OW), _ = geo
    x = _pad(input, geo)
    C_out, C_in_g = weight.shape[:2]
    out = np.zeros((input.shape[0], C_out, OH, OW), dtype=np.result_type(input, weight))
    for n in range(input.shape[0]):
        for o in range(C_out):
            group = o // (C_out // groups)  # output channel o reads the channels of its group
            channels = slice(group * C_in_g, (group + 1) * C_in_g)
            for i in range(OH):
                for j in range(OW):
                    rows = slice(i * sH, i * sH + dH * (kH - 1) + 1, dH)
                    cols = slice(j * sW, j * sW + dW * (kW - 1) + 1, dW)
                    out[n, o, i, j] = np.sum(x[n, channels, rows, cols] * weight[o])
            if bias is not None:
                out[n, o] += bias[o]
    return out


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """im2col convolution: per group ``g``, ``out_g = W_g @ unfold(x)_g`` with ``W_g`` the group's
    weights as ``(C_out / G, C_in / G * kH * kW)``.

    Shapes as in :func:`conv2d_loop`; ``stride``, ``padding``, ``dilation`` are ints or pairs.
    """
    G = _check_conv(input, weight, bias, groups)
    geo = _geometry(input.shape, weight.shape[2:], stride, padding, dilation)
    N, C_out, K, L = input.shape[0], weight.shape[0], weight[0].size, geo.out[0] * geo.out[1]
    cols = unfold(input, weight.shape[2:], dilation, padding, stride)  # (N, C_in*kH*kW, L)
    cols = cols.reshape(N, G, K, L)  # the K = C_in/G*kH*kW rows of each group together
    out = (weight.reshape(G, C_out // G, K) @ cols).reshape(N, C_out, L)  # (N, G, C_out/G, L)
    if bias is not None:
        out = out + bias[:, None]
    return out.reshape(N, C_out, *geo.out)


def conv2d_backward(grad_output, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Returns ``(grad_input, grad_weight, grad_bias)``; ``grad_bias`` is None without a bias.

    Per group, with ``X = unfold(x)`` and ``G = grad_output`` as ``(N, C_out / groups, L)``:
    ``dW = sum_n G X^T``, ``db = sum_{n, l} G``, ``dx = fold(W^T G)``.
    """
    G = _check_conv(input, weight, bias, groups)
    geo = _geometry(input.shape, weight.shape[2:], stride, padding, dilation)
    N, C_out, K, L = input.shape[0], weight.shape[0], weight[0].size, geo.out[0] * geo.out[1]
    g = check_grad(grad_output, (N, C_out) + geo.out, input).reshape(N, G, C_out // G, L)
    cols = unfold(input, weight.shape[2:], dilation, padding, stride).reshape(N, G, K, L)
    w = weight.reshape(G, C_out // G, K)
    grad_weight = np.einsum("ngol,ngkl->gok", g, cols, optimize=True)  # sum over batch, positions
    grad_bias = None if bias is None else g.sum(axis=(0, 3)).reshape(C_out)
    grad_cols = (w.transpose(0, 2, 1) @ g).reshape(N, G * K, L)  # (N, C_in*kH*kW, L)
    grad_input = fold(grad_cols, input.shape[2:], weight.shape[2:], dilation, padding, stride)
    return grad_input, grad_weight.reshape(weight.shape), grad_bias


# ---------------------------------------------------------------- pooling
def _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode):
    _check_nchw(input)
    k = _pair("kernel_size", kernel_size, 1)
    s = k if stride is None or stride == () else stride
    p = _pair("padding", padding, 0)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(f"padding must be at most half the kernel size, got padding={p}, kernel_size={k}")
    return _geometry(input.shape, k, s, p, dilation, bool(ceil_mode))


def _lowest(dtype):
    return -np.inf if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _no_indices(return_indices):
    if return_indices:
        raise NotImplementedError(
            "return_indices=True is not supported: max_pool2d returns the pooled values only "
            "(max_pool2d_backward finds each window's maximum itself)"
        )


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, *, return_indices=False):
    """``out[n, c, i, j] = max`` over the window at ``(i*sH, j*sW)`` (taps ``dilation`` apart);
    padding and the ``ceil_mode`` overhang count as ``-inf``.

    ``stride`` defaults to ``kernel_size`` (as in torch). No parameters. ``return_indices=True``
    (torch's argmax of each window) is not supported: :func:`max_pool2d_backward` routes the
    gradient to the maxima itself.
    """
    _no_indices(return_indices)
    geo = _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _windows(_pad(input, geo, _lowest(input.dtype)), geo).max(axis=(4, 5))


def max_pool2d_backward(
    grad_output, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, *, return_indices=False
):
    """The gradient flows only to the (first) maximum of each window; windows may overlap."""
    _no_indices(return_indices)
    geo = _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode)
    g = check_grad(grad_output, input.shape[:2] + geo.out, input)
    win = _windows(_pad(input, geo, -np.inf), geo)
    N, C, OH, OW, kH, kW = win.shape
    flat = win.reshape(N, C, OH, OW, kH * kW)
    mask = np.zeros_like(flat)
    np.put_along_axis(mask, flat.argmax(axis=-1)[..., None], 1, axis=-1)
    grad_win = (mask * g[..., None]).reshape(win.shape)
    return _scatter_windows(grad_win, input.shape, geo)


def _avg_divisor(input, geo, count_include_pad, divisor_override):
    """Per window: the cells it covers inside the padded input (``count_include_pad``) or inside
    the input only, never the ``ceil_mode`` overhang; or ``divisor_override``."""
    if divisor_override is not None:
        return check_int("divisor_override", divisor_override, 1)
    (pH, pW), (H, W) = geo.padding, input.shape[2:]
    inside = np.zeros((1, 1, H + 2 * pH + geo.extra[0], W + 2 * pW + geo.extra[1]), input.dtype)
    if count_include_pad:
        inside[:, :, : H + 2 * pH, : W + 2 * pW] = 1
    else:
        inside[:, :, pH : pH + H, pW : pW + W] = 1
    return _windows(inside, geo).sum(axis=(4, 5))  # (1, 1, OH, OW)


def avg_pool2d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Window sum divided by the window's cell count: ``kH*kW`` with zero padding counted
    (torch's default), only the input's cells with ``count_include_pad=False``. Integer input
    gives the quotient truncated toward zero, as in torch."""
    geo = _pool_geometry(input, kernel_size, stride, padding, 1, ceil_mode)
    total = _windows(_pad(input, geo), geo).sum(axis=(4, 5))
    out = total / _avg_divisor(input, geo, count_include_pad, divisor_override)
    return out if np.issubdtype(input.dtype, np.floating) else np.trunc(out).astype(input.dtype)


def avg_pool2d_backward(
    grad_output,
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """Each window hands ``g / divisor`` to every cell it covers."""
    geo = _pool_geometry(input, kernel_size, stride, padding, 1, ceil_mode)
    g = check_grad(grad_output, input.shape[:2] + geo.out, input)
    g = g / _avg_divisor(input, geo, count_include_pad, divisor_override)
    grad_win = np.broadcast_to(g[..., None, None], g.shape + geo.kernel)
    return _scatter_windows(grad_win, input.shape, geo)
