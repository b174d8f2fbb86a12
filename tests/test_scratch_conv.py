"""nnref.scratch.conv against torch.nn.functional in float64 (forward and backward)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
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


def t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


@st.composite
def conv_cases(draw):
    kH, kW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sH, sW = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pH, pW = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    H = draw(st.integers(max(1, kH - 2 * pH), 9))
    W = draw(st.integers(max(1, kW - 2 * pW), 9))
    N, C_in, C_out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    square = draw(st.booleans())  # int arguments when the pair is square, pairs otherwise
    stride = sH if square and sH == sW else (sH, sW)
    padding = pH if square and pH == pW else (pH, pW)
    seed = draw(st.integers(0, 2**31 - 1))
    bias = draw(st.booleans())
    return (N, C_in, C_out, H, W, kH, kW), stride, padding, bias, seed


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_conv2d_matches_torch(case):
    (N, C_in, C_out, H, W, kH, kW), stride, padding, use_bias, seed = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C_in, H, W))
    w = rng.standard_normal((C_out, C_in, kH, kW))
    b = rng.standard_normal(C_out) if use_bias else None
    xt, wt = t(x, True), t(w, True)
    bt = t(b, True) if use_bias else None
    yt = F.conv2d(xt, wt, bt, stride=stride, padding=padding)
    y = conv2d(x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(y, yt.detach().numpy(), **TOL)
    np.testing.assert_allclose(conv2d_loop(x, w, b, stride, padding), y, **TOL)
    g = rng.standard_normal(yt.shape)
    yt.backward(t(g))
    dx, dw, db = conv2d_backward(g, x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(dx, xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(dw, wt.grad.numpy(), **TOL)
    if use_bias:
        np.testing.assert_allclose(db, bt.grad.numpy(), **TOL)
    else:
        assert db is None


@settings(max_examples=25, deadline=None)
@given(conv_cases())
def test_unfold_fold_match_torch(case):
    (N, C_in, _, H, W, kH, kW), stride, padding, _, seed = case
    x = np.random.default_rng(seed).standard_normal((N, C_in, H, W))
    cols = unfold(x, (kH, kW), stride, padding)
    ref = F.unfold(t(x), (kH, kW), stride=stride, padding=padding).numpy()
    np.testing.assert_allclose(cols, ref, **TOL)
    np.testing.assert_allclose(
        fold(cols, (H, W), (kH, kW), stride, padding),
        F.fold(t(cols), (H, W), (kH, kW), stride=stride, padding=padding).numpy(),
        **TOL,
    )


@st.composite
def pool_cases(draw):
    kH, kW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    pH, pW = draw(st.integers(0, kH // 2)), draw(st.integers(0, kW // 2))
    pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))
    stride = draw(st.one_of(st.none(), st.integers(1, 3), pairs))
    H = draw(st.integers(max(1, kH - 2 * pH), 9))
    W = draw(st.integers(max(1, kW - 2 * pW), 9))
    N, C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kernel = kH if kH == kW and draw(st.booleans()) else (kH, kW)
    padding = pH if pH == pW else (pH, pW)
    return (N, C, H, W), kernel, stride, padding, draw(st.integers(0, 2**31 - 1))


@pytest.mark.parametrize("name", ["max", "avg"])
@settings(max_examples=40, deadline=None)
@given(case=pool_cases())
def test_pool2d_matches_torch(name, case):
    shape, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)  # continuous values: no ties inside a window
    fwd, bwd, ref = {
        "max": (max_pool2d, max_pool2d_backward, F.max_pool2d),
        "avg": (avg_pool2d, avg_pool2d_backward, F.avg_pool2d),
    }[name]
    xt = t(x, True)
    yt = ref(xt, kernel, stride, padding)
    y = fwd(x, kernel, stride, padding)
    np.testing.assert_allclose(y, yt.detach().numpy(), **TOL)
    g = rng.standard_normal(yt.shape)
    yt.backward(t(g))
    np.testing.assert_allclose(bwd(g, x, kernel, stride, padding), xt.grad.numpy(), **TOL)


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
    [((32, 5), 28), ((28, 2, 2), 14), ((13, 3, 2), 6), ((224, 7, 2), 109), ((7, 3, 2, 1), 4),
     ((5, 3, 1, 0, 2), 1), ((224, 3, 1, 1), 224)],
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
    [((4, 5), "does not fit"), ((2, 3, 1, 0, 1), "does not fit"), ((5, 3, 1, 0, 3), "does not fit"),
     ((5, 0), ">= 1"), ((5, 3, 0), ">= 1"), ((5, 3, 1, -1), "padding")],
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
