"""nnref.scratch: numerical gradients, gradcheck, the hand-written 2-layer sigmoid MLP vs torch."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nnref.scratch import (
    gradcheck,
    half_sse_loss,
    half_sse_loss_backward,
    mlp2_backward,
    mlp2_forward,
    numerical_gradient,
    relative_error,
)


def f_cubic(x):
    return float(np.sum(x**3) + np.prod(np.sin(x)))


def grad_cubic(x):
    p = np.prod(np.sin(x))
    return 3 * x**2 + p / np.tan(x)


def test_central_and_forward_difference_errors_have_the_right_order():
    x = np.array([0.7, -0.4, 1.1])
    exact = grad_cubic(x)
    for h in (1e-2, 1e-3):
        central = np.abs(numerical_gradient(f_cubic, x, h=h) - exact).max()
        forward = np.abs(numerical_gradient(f_cubic, x, h=h, method="forward") - exact).max()
        assert central < 5 * h**2 and forward < 5 * h
        assert forward > 10 * central
    # h too small: rounding error dominates
    assert np.abs(numerical_gradient(f_cubic, x, h=1e-13) - exact).max() > 1e-4


def test_numerical_gradient_does_not_touch_x_and_validates():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = x.copy()
    g = numerical_gradient(lambda a: float((a**2).sum()), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-8)
    np.testing.assert_array_equal(x, before)
    with pytest.raises(ValueError, match="method"):
        numerical_gradient(f_cubic, x, method="backward")
    with pytest.raises(ValueError, match="h"):
        numerical_gradient(f_cubic, x, h=0.0)


def test_relative_error_and_gradcheck():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape"):
        relative_error([1.0], [1.0, 2.0])
    x = np.array([0.3, 0.9, -1.2])
    assert gradcheck(f_cubic, x, grad_cubic(x))
    wrong = grad_cubic(x) * np.array([1.0, 1.0, 1.01])
    assert not gradcheck(f_cubic, x, wrong, raise_exception=False)
    with pytest.raises(AssertionError, match="worst entry"):
        gradcheck(f_cubic, x, wrong)


def torch_mlp2(x, W1, b1, W2, b2, y):
    params = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    tW1, tb1, tW2, tb2 = params
    a2 = torch.sigmoid(torch.sigmoid(torch.tensor(x) @ tW1.T + tb1) @ tW2.T + tb2)
    loss = 0.5 * ((a2 - torch.tensor(y)) ** 2).sum()
    loss.backward()
    return a2.detach().numpy(), loss.item(), [p.grad.numpy() for p in params]


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 5),
    n_in=st.integers(1, 4),
    hidden=st.integers(1, 5),
    n_out=st.integers(1, 3),
    seed=st.integers(0, 2**31 - 1),
)
def test_mlp2_matches_torch(n, n_in, hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_in))
    W1, b1 = rng.normal(size=(hidden, n_in)), rng.normal(size=hidden)
    W2, b2 = rng.normal(size=(n_out, hidden)), rng.normal(size=n_out)
    y = rng.uniform(size=(n, n_out))
    a2, cache = mlp2_forward(x, W1, b1, W2, b2)
    loss = half_sse_loss(a2, y)
    grads = mlp2_backward(half_sse_loss_backward(1.0, a2, y), cache)
    t_a2, t_loss, t_grads = torch_mlp2(x, W1, b1, W2, b2, y)
    np.testing.assert_allclose(a2, t_a2, rtol=1e-12)
    assert loss == pytest.approx(t_loss, rel=1e-12)
    assert list(grads) == ["x", "W1", "b1", "W2", "b2"]
    for name, tg in zip(["W1", "b1", "W2", "b2"], t_grads, strict=True):
        np.testing.assert_allclose(grads[name], tg, rtol=1e-10, atol=1e-14)


def test_mlp2_gradient_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(3, 2)), rng.uniform(size=(3, 1))
    params = [rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(1, 4)), rng.normal(size=1)]
    a2, cache = mlp2_forward(x, *params)
    grads = mlp2_backward(half_sse_loss_backward(1.0, a2, y), cache)
    args = [x, *params]
    for k, name in enumerate(["x", "W1", "b1", "W2", "b2"]):

        def loss_of(p, k=k):
            changed = list(args)
            changed[k] = p
            return half_sse_loss(mlp2_forward(*changed)[0], y)

        assert gradcheck(loss_of, args[k], grads[name], tol=1e-8)


def test_mlp2_validates_shapes():
    W1, b1, W2, b2 = np.zeros((3, 2)), np.zeros(3), np.zeros((1, 3)), np.zeros(1)
    with pytest.raises(ValueError, match="x must have shape"):
        mlp2_forward(np.zeros((4, 5)), W1, b1, W2, b2)
    with pytest.raises(ValueError, match="W2"):
        mlp2_forward(np.zeros((4, 2)), W1, b1, np.zeros((1, 2)), b2)
    with pytest.raises(ValueError, match="shape"):
        half_sse_loss(np.zeros((2, 1)), np.zeros(2))
