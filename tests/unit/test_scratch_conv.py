"""nnref.scratch.conv against torch.nn.functional (forward and backward, float64 and float32).

Every comparison calls ours and torch with the same positional arguments, so the argument order
is checked too; float32 inputs must give float32 outputs and gradients.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnref.scratch import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv2d_loop,
    conv_output_size,
    fold,
    max_pool2d,
    max_pool2d_backward,
    unfold,
)

TOL = dict(rtol=1e-10, atol=1e-12)
DTYPES = {  # numpy dtype, torch dtype, tolerance of ours vs torch at that precision
    "float64": (np.float64, torch.float64, TOL),
    "float32": (np.float32, torch.float32, dict(rtol=1e-5, atol=2e-5)),
}


def t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def pair_or_int(draw, a, b):
    """An int when the pair is square (half the time), the pair otherwise: both forms are used."""
    return a if a == b and draw(st.booleans()) else (a, b)


@st.composite
def conv_cases(draw):
    kH, kW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sH, sW = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pH, pW = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    dH, dW = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    low_H, low_W = max(1, dH * (kH - 1) + 1 - 2 * pH), max(1, dW * (kW - 1) + 1 - 2 * pW)
    H, W = draw(st.integers(low_H, low_H + 6)), draw(st.integers(low_W, low_W + 6))
    groups = draw(st.integers(1, 3))
    C_in, C_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    N = draw(st.integers(1, 3))
    args = (pair_or_int(draw, sH, sW), pair_or_int(draw, pH, pW), pair_or_int(draw, dH, dW), groups)
    return (N, C_in, C_out, H, W, kH, kW), args, draw(st.booleans()), draw(st.integers(0, 2**31 - 1))


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@settings(max_examples=40, deadline=None)
@given(case=conv_cases())
def test_conv2d_matches_torch(dtype, case, close):
    """stride, padding, dilation, groups: forward, loop reference and backward vs torch."""
    (N, C_in, C_out, H, W, kH, kW), args, use_bias, seed = case
    np_dtype, torch_dtype, _ = DTYPES[dtype]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C_in, H, W)).astype(np_dtype)
    w = rng.standard_normal((C_out, C_in // args[3], kH, kW)).astype(np_dtype)
    b = rng.standard_normal(C_out).astype(np_dtype) if use_bias else None
    xt, wt = (torch.tensor(a, requires_grad=True) for a in (x, w))
    bt = torch.tensor(b, requires_grad=True) if use_bias else None
    yt = F.conv2d(xt, wt, bt, *args)
    y = conv2d(x, w, b, *args)
    close("conv2d", y, yt, dtype, **DTYPES[dtype][2])
    np.testing.assert_allclose(conv2d_loop(x, w, b, *args), y, **DTYPES[dtype][2])
    g = rng.standard_normal(yt.shape).astype(np_dtype)
    yt.backward(torch.tensor(g))
    dx, dw, db = conv2d_backward(g, x, w, b, *args)
    close("conv2d_backward input", dx, xt.grad, dtype, **DTYPES[dtype][2])
    close("conv2d_backward weight", dw, wt.grad, dtype, **DTYPES[dtype][2])
    if use_bias:
        close("conv2d_backward bias", db, bt.grad, dtype, **DTYPES[dtype][2])
    else:
        assert db is None


@settings(max_examples=25, deadline=None)
@given(case=conv_cases())
def test_unfold_fold_match_torch(case, close):
    (N, C_in, _, H, W, kH, kW), (stride, padding, dilation, _), _, seed = case
    x = np.random.default_rng(seed).standard_normal((N, C_in, H, W))
    cols = unfold(x, (kH, kW), dilation, padding, stride)  # torch's argument order
    close("unfold", cols, F.unfold(t(x), (kH, kW), dilation, padding, stride), "float64")
    close(
        "fold",
        fold(cols, (H, W), (kH, kW), dilation, padding, stride),
        F.fold(t(cols), (H, W), (kH, kW), dilation, padding, stride),
        "float64",
    )


def every_window_reads_the_input(size, k, s, p, d, ceil_mode):
    """False when some window's taps all fall in the padding (dilation can skip the input). torch
    then writes the gradient to index -1 in max_pool2d's backward and corrupts memory (torch
    2.13), so those cases are compared by hand in test_windows_entirely_in_padding."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return all(any(p <= i * s + a * d < p + size for a in range(k)) for i in range(out))


@st.composite
def pool_cases(draw, dilation):
    kH, kW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    pH, pW = draw(st.integers(0, kH // 2)), draw(st.integers(0, kW // 2))
    dH, dW = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    stride = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * 2)))
    low_H, low_W = max(1, dH * (kH - 1) + 1 - 2 * pH), max(1, dW * (kW - 1) + 1 - 2 * pW)
    H, W = draw(st.integers(low_H, low_H + 6)), draw(st.integers(low_W, low_W + 6))
    N, C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    geometry = (pair_or_int(draw, kH, kW), stride, pair_or_int(draw, pH, pW))
    return (N, C, H, W), geometry, pair_or_int(draw, dH, dW), draw(st.integers(0, 2**31 - 1))


def check_pool(close, name, fwd, bwd, ref, shape, args, seed, dtype):
    np_dtype, torch_dtype, _ = DTYPES[dtype]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np_dtype)  # continuous values: no ties inside a window
    xt = torch.tensor(x, requires_grad=True)
    yt = ref(xt, *args)
    close(name, fwd(x, *args), yt, dtype, **DTYPES[dtype][2])
    g = rng.standard_normal(yt.shape).astype(np_dtype)
    yt.backward(torch.tensor(g))
    close(name + "_backward", bwd(g, x, *args), xt.grad, dtype, **DTYPES[dtype][2])


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@settings(max_examples=40, deadline=None)
@given(case=pool_cases(dilation=True), ceil_mode=st.booleans())
def test_max_pool2d_matches_torch(dtype, case, ceil_mode, close):
    """max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)."""
    shape, geometry, dilation, seed = case
    k, s, p, d = (geometry[0], geometry[1] or geometry[0], geometry[2], dilation)
    k, s, p, d = ((v, v) if isinstance(v, int) else v for v in (k, s, p, d))
    assume(all(every_window_reads_the_input(shape[2 + a], k[a], s[a], p[a], d[a], ceil_mode) for a in (0, 1)))
    args = geometry + (dilation, ceil_mode)
    check_pool(close, "max_pool2d", max_pool2d, max_pool2d_backward, F.max_pool2d, shape, args, seed, dtype)


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@settings(max_examples=40, deadline=None)
@given(
    case=pool_cases(dilation=False),
    ceil_mode=st.booleans(),
    count_include_pad=st.booleans(),
    divisor_override=st.one_of(st.none(), st.integers(1, 5)),
)
def test_avg_pool2d_matches_torch(dtype, case, ceil_mode, count_include_pad, divisor_override, close):
    """avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor)."""
    shape, geometry, _, seed = case
    args = geometry + (ceil_mode, count_include_pad, divisor_override)
    check_pool(close, "avg_pool2d", avg_pool2d, avg_pool2d_backward, F.avg_pool2d, shape, args, seed, dtype)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_ceil_mode_edges(kind, close):
    """Windows that hang over the bottom/right edge, a kernel larger than the input, and the last
    window torch drops because it would start in the padding: values and gradients as in torch."""
    fwd, bwd, ref = {
        "max": (max_pool2d, max_pool2d_backward, F.max_pool2d),
        "avg": (avg_pool2d, avg_pool2d_backward, F.avg_pool2d),
    }[kind]
    for shape, args in [
        ((1, 1, 5, 5), (2, None, 0)),
        ((1, 1, 2, 2), (3, 2, 0)),
        ((2, 1, 5, 6), (3, 2, 1)),
        ((1, 2, 4, 4), (2, 3, 1)),
        ((1, 1, 6, 5), ((3, 2), (2, 3), (1, 0))),
    ]:
        kw = {"ceil_mode": True}
        x = np.random.default_rng(0).standard_normal(shape)
        xt = t(x, True)
        yt = ref(xt, *args, **kw)
        close(f"{kind}_pool2d ceil", fwd(x, *args, **kw), yt, "float64")
        g = np.random.default_rng(1).standard_normal(yt.shape)
        yt.backward(t(g))
        close(f"{kind}_pool2d ceil backward", bwd(g, x, *args, **kw), xt.grad, "float64")


def test_windows_entirely_in_padding(close):
    """With dilation a max-pool window can hold only padding: its max is -inf (torch's forward
    says the same) and no gradient reaches the input from it."""
    x = np.array([[[[1.0, 2.0]]]])  # H = 1: with padding 1 and dilation 2 the rows read are pads
    y = max_pool2d(x, (2, 1), 1, (1, 0), (2, 1))
    assert y.shape == (1, 1, 1, 2) and np.all(y == -np.inf)
    close("max_pool2d", y, F.max_pool2d(t(x), (2, 1), 1, (1, 0), (2, 1)), "float64")
    assert not np.any(max_pool2d_backward(np.ones(y.shape), x, (2, 1), 1, (1, 0), (2, 1)))


def test_hand_example():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    # every window: x[i, j] - x[i+1, j+1] = -5
    np.testing.assert_array_equal(conv2d(x, w), np.full((1, 1, 3, 3), -5.0))
    np.testing.assert_array_equal(max_pool2d(x, 2), [[[[5.0, 7.0], [13.0, 15.0]]]])


def test_max_pool_backward_routes_to_argmax():
    x = np.array([[[[1.0, 3.0], [2.0, 0.0]]]])
    grad = max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)
    np.testing.assert_array_equal(grad, [[[[0, 1], [0, 0]]]])


@pytest.mark.parametrize(
    "args, expected",
    [
        ((32, 5), 28),
        ((28, 2, 2), 14),
        ((13, 3, 2), 6),
        ((224, 7, 2), 109),
        ((7, 3, 2, 1), 4),
        ((5, 3, 1, 0, 2), 1),
        ((224, 3, 1, 1), 224),
    ],
)
def test_conv_output_size(args, expected):
    assert conv_output_size(*args) == expected
    size, k, *rest = args
    s = rest[0] if rest else 1
    p = rest[1] if len(rest) > 1 else 0
    d = rest[2] if len(rest) > 2 else 1
    x = torch.zeros(1, 1, size, 1)
    y = F.conv2d(x, torch.zeros(1, 1, k, 1), stride=(s, 1), padding=(p, 0), dilation=(d, 1))
    assert y.shape[2] == expected


@pytest.mark.parametrize(
    "args, match",
    [
        ((4, 5), "does not fit"),
        ((2, 3, 1, 0, 1), "does not fit"),
        ((5, 3, 1, 0, 3), "does not fit"),
        ((5, 0), ">= 1"),
        ((5, 3, 0), ">= 1"),
        ((5, 3, 1, -1), "padding"),
    ],
)
def test_conv_output_size_errors(args, match):
    with pytest.raises(ValueError, match=match):
        conv_output_size(*args)


def test_bad_inputs():
    x = np.zeros((1, 3, 8, 8))
    with pytest.raises(ValueError, match="channels"):
        conv2d(x, np.zeros((4, 2, 3, 3)))
    with pytest.raises(ValueError, match="4 dimensions"):
        conv2d(x[0], np.zeros((4, 3, 3, 3)))
    with pytest.raises(ValueError, match="bias"):
        conv2d(x, np.zeros((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="does not fit"):
        conv2d(x, np.zeros((4, 3, 9, 9)))
    with pytest.raises(TypeError, match="stride"):
        conv2d(x, np.zeros((4, 3, 3, 3)), stride=1.5)
    with pytest.raises(ValueError, match="half the kernel"):
        max_pool2d(x, 2, padding=2)
    with pytest.raises(TypeError, match="numpy"):
        max_pool2d(torch.zeros(1, 1, 4, 4), 2)
