"""NumPy 2-D convolution and pooling (NCHW), mirroring ``torch.nn.functional``.

Like torch, "convolution" here is cross-correlation (the kernel is not flipped):

    out[n, o, i, j] = b[o] + sum_{c, a, b} x_pad[n, c, i*sH + a, j*sW + b] * w[o, c, a, b]

Output size per axis (floor, as in torch): ``floor((H + 2P - D(K - 1) - 1) / S) + 1``, which is
``floor((H + 2P - K) / S) + 1`` without dilation. Every ``<name>_backward(grad_output, <forward
inputs...>)`` returns the gradients of the forward's array inputs in order.
"""

import numpy as np

from nnref.scratch.functional import _check_array

__all__ = [
    "conv_output_size", "unfold", "fold",
    "conv2d_loop", "conv2d", "conv2d_backward",
    "max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward",
]


def _pair(name, value):
    """``3 -> (3, 3)``, ``(3, 2) -> (3, 2)``; anything else is a TypeError."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value
    ):
        return int(value[0]), int(value[1])
    raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """``floor((size + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``.

    Raises ``ValueError`` when the (dilated) kernel does not fit in the padded input, or when
    stride/dilation/kernel_size < 1 or padding < 0.
    """
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


def _geometry(x_shape, kernel_size, stride, padding):
    kH, kW = _pair("kernel_size", kernel_size)
    sH, sW = _pair("stride", stride)
    pH, pW = _pair("padding", padding)
    OH = conv_output_size(x_shape[2], kH, sH, pH)
    OW = conv_output_size(x_shape[3], kW, sW, pW)
    return (kH, kW), (sH, sW), (pH, pW), (OH, OW)


def _windows(x, kernel_size, stride, padding, pad_value=0.0):
    """A strided view ``(N, C, OH, OW, kH, kW)`` of the padded input (no copy of the windows)."""
    (kH, kW), (sH, sW), (pH, pW), (OH, OW) = _geometry(x.shape, kernel_size, stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), constant_values=pad_value)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kH, kW), axis=(2, 3))
    return win[:, :, : (OH - 1) * sH + 1 : sH, : (OW - 1) * sW + 1 : sW]


def _scatter_windows(grad_win, x_shape, stride, padding):
    """Adjoint of :func:`_windows`: add every window's gradient back onto the input grid."""
    N, C, OH, OW, kH, kW = grad_win.shape
    sH, sW = _pair("stride", stride)
    pH, pW = _pair("padding", padding)
    H, W = x_shape[2], x_shape[3]
    grad = np.zeros((N, C, H + 2 * pH, W + 2 * pW), dtype=grad_win.dtype)
    for a in range(kH):  # one slice per kernel offset; overlapping windows add up
        for b in range(kW):
            grad[:, :, a : a + (OH - 1) * sH + 1 : sH, b : b + (OW - 1) * sW + 1 : sW] += (
                grad_win[:, :, :, :, a, b]
            )
    return grad[:, :, pH : pH + H, pW : pW + W]


def unfold(input, kernel_size, stride=1, padding=0):
    """im2col, like ``F.unfold``: ``(N, C, H, W) -> (N, C*kH*kW, OH*OW)``, one column per window."""
    _check_array("input", input, ndim=4)
    win = _windows(input, kernel_size, stride, padding)  # (N, C, OH, OW, kH, kW)
    N, C, OH, OW, kH, kW = win.shape
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * kH * kW, OH * OW)


def fold(cols, output_size, kernel_size, stride=1, padding=0):
    """col2im, like ``F.fold`` (the adjoint of :func:`unfold`): overlapping entries are summed."""
    H, W = _pair("output_size", output_size)
    (kH, kW), _, _, (OH, OW) = _geometry((0, 0, H, W), kernel_size, stride, padding)
    N, CKK, L = cols.shape
    if CKK % (kH * kW) or L != OH * OW:
        raise ValueError(f"cols must have shape (N, C*{kH}*{kW}, {OH * OW}), got {cols.shape}")
    win = cols.reshape(N, CKK // (kH * kW), kH, kW, OH, OW).transpose(0, 1, 4, 5, 2, 3)
    return _scatter_windows(win, (N, CKK // (kH * kW), H, W), stride, padding)


def _check_conv(input, weight, bias):
    _check_array("input", input, ndim=4)
    _check_array("weight", weight, ndim=4)
    if input.shape[1] != weight.shape[1]:
        raise ValueError(
            f"input has {input.shape[1]} channels but weight expects {weight.shape[1]} "
            f"(weight shape (C_out, C_in, kH, kW) = {weight.shape})"
        )
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(f"bias must have shape ({weight.shape[0]},), got {bias.shape}")


def conv2d_loop(input, weight, bias=None, stride=1, padding=0):
    """The readable reference: slide the kernel over every output position ``(i, j)``.

    input ``(N, C_in, H, W)``, weight ``(C_out, C_in, kH, kW)``, bias ``(C_out,)``
    -> ``(N, C_out, OH, OW)``. Same result as :func:`conv2d`, only slower.
    """
    _check_conv(input, weight, bias)
    geometry = _geometry(input.shape, weight.shape[2:], stride, padding)
    (kH, kW), (sH, sW), (pH, pW), (OH, OW) = geometry
    x = np.pad(input, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    out = np.zeros((input.shape[0], weight.shape[0], OH, OW), dtype=np.result_type(input, weight))
    for n in range(input.shape[0]):
        for o in range(weight.shape[0]):
            for i in range(OH):
                for j in range(OW):
                    patch = x[n, :, i * sH : i * sH + kH, j * sW : j * sW + kW]  # (C_in, kH, kW)
                    out[n, o, i, j] = np.sum(patch * weight[o])
            if bias is not None:
                out[n, o] += bias[o]
    return out


def conv2d(input, weight, bias=None, stride=1, padding=0):
    """im2col convolution: ``out = W_flat @ unfold(x)``, ``W_flat = weight`` as ``(C_out, -1)``.

    Shapes as in :func:`conv2d_loop`; ``stride`` and ``padding`` are ints or pairs.
    """
    _check_conv(input, weight, bias)
    (OH, OW) = _geometry(input.shape, weight.shape[2:], stride, padding)[3]
    cols = unfold(input, weight.shape[2:], stride, padding)  # (N, C_in*kH*kW, L)
    out = weight.reshape(weight.shape[0], -1) @ cols  # (N, C_out, L)
    if bias is not None:
        out = out + bias[:, None]
    return out.reshape(input.shape[0], weight.shape[0], OH, OW)


def conv2d_backward(grad_output, input, weight, bias=None, stride=1, padding=0):
    """Returns ``(grad_input, grad_weight, grad_bias)``; ``grad_bias`` is None without a bias.

    With ``X = unfold(x)`` and ``G = grad_output`` as ``(N, C_out, L)``:
    ``dW = sum_n G X^T``, ``db = sum_{n, l} G``, ``dx = fold(W_flat^T G)``.
    """
    N, C_out, OH, OW = grad_output.shape
    g = grad_output.reshape(N, C_out, OH * OW)
    cols = unfold(input, weight.shape[2:], stride, padding)
    w_flat = weight.reshape(C_out, -1)
    grad_weight = np.einsum("nol,nkl->ok", g, cols, optimize=True)  # sum over batch and positions
    grad_bias = None if bias is None else g.sum(axis=(0, 2))
    grad_cols = w_flat.T @ g  # (N, C_in*kH*kW, L)
    grad_input = fold(grad_cols, input.shape[2:], weight.shape[2:], stride, padding)
    return grad_input, grad_weight.reshape(weight.shape), grad_bias


def _pool_args(input, kernel_size, stride, padding):
    _check_array("input", input, ndim=4)
    k = _pair("kernel_size", kernel_size)
    s = k if stride is None or stride == () else _pair("stride", stride)
    p = _pair("padding", padding)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(
            f"padding must be at most half the kernel size, got padding={p}, kernel_size={k}"
        )
    return k, s, p


def max_pool2d(input, kernel_size, stride=None, padding=0):
    """``out[n, c, i, j] = max`` over the window at ``(i*sH, j*sW)``; padding counts as ``-inf``.

    ``stride`` defaults to ``kernel_size`` (as in torch). No parameters.
    """
    k, s, p = _pool_args(input, kernel_size, stride, padding)
    return _windows(input, k, s, p, pad_value=-np.inf).max(axis=(4, 5))


def max_pool2d_backward(grad_output, input, kernel_size, stride=None, padding=0):
    """The gradient flows only to the (first) maximum of each window; windows may overlap."""
    k, s, p = _pool_args(input, kernel_size, stride, padding)
    win = _windows(input, k, s, p, pad_value=-np.inf)
    N, C, OH, OW, kH, kW = win.shape
    flat = win.reshape(N, C, OH, OW, kH * kW)
    mask = np.zeros_like(flat, dtype=grad_output.dtype)
    np.put_along_axis(mask, flat.argmax(axis=-1)[..., None], 1.0, axis=-1)
    grad_win = (mask * grad_output[..., None]).reshape(win.shape)
    return _scatter_windows(grad_win, input.shape, s, p)


def avg_pool2d(input, kernel_size, stride=None, padding=0):
    """Window mean with zero padding counted in the divisor ``kH*kW`` (torch's default)."""
    k, s, p = _pool_args(input, kernel_size, stride, padding)
    return _windows(input, k, s, p).mean(axis=(4, 5))


def avg_pool2d_backward(grad_output, input, kernel_size, stride=None, padding=0):
    """Each window hands ``g / (kH*kW)`` to every cell it covers."""
    k, s, p = _pool_args(input, kernel_size, stride, padding)
    N, C, OH, OW = grad_output.shape
    g = grad_output / (k[0] * k[1])
    grad_win = np.broadcast_to(g[..., None, None], (N, C, OH, OW, k[0], k[1]))
    return _scatter_windows(grad_win, input.shape, s, p)
