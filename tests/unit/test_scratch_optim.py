"""nnref.scratch.optim against torch.optim, step for step in float64."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from nnref.scratch import optim

STEPS = 40


def problem(seed=0):
    """A small least-squares problem with two parameters (a matrix and a vector)."""
    r = np.random.default_rng(seed)
    A, b = r.normal(size=(8, 3)), r.normal(size=8)
    W0, c0 = r.normal(size=(3,)), r.normal(size=(1,))
    return A, b, [W0, c0]


def grads_numpy(A, b, W, c):
    res = A @ W + c - b  # loss = 0.5 mean(res^2) + 0.25 sum(W^4) (non-quadratic so steps differ)
    return [A.T @ res / len(b) + W**3, np.array([res.mean()])]


CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True)),
    ("RMSprop", dict(lr=0.005, momentum=0.5)),
    ("Adagrad", dict(lr=0.1)),
    (
        "Adagrad",
        dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6),
    ),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True, betas=(0.5, 0.9))),
]


@pytest.mark.parametrize("name,kw", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_matches_torch_step_for_step(name, kw, close):
    A, b, (W0, c0) = problem()
    ours = [W0.copy(), c0.copy()]
    opt = getattr(optim, name)(ours, **kw)
    W, c = torch.tensor(W0, requires_grad=True), torch.tensor(c0, requires_grad=True)
    topt = getattr(torch.optim, name)([W, c], **kw)
    At, bt = torch.tensor(A), torch.tensor(b)
    for _ in range(STEPS):
        topt.zero_grad()
        loss = 0.5 * ((At @ W + c - bt) ** 2).mean() + 0.25 * (W**4).sum()
        loss.backward()
        g_np = grads_numpy(A, b, *ours)
        assert_allclose(g_np[0], W.grad.numpy(), rtol=1e-10, atol=1e-12)  # same point, same gradient
        topt.step()
        opt.step(g_np)
        for p, tp in zip(ours, [W, c], strict=True):
            close(name, p, tp, rtol=1e-10, atol=1e-12)
    assert not np.allclose(ours[0], W0)  # the parameters really moved


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adagrad", "Adam", "AdamW"])
def test_defaults_match_torch(name):
    import inspect

    ours = inspect.signature(getattr(optim, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.optim, name).__init__).parameters
    for arg, p in ours.items():
        if arg in ("self", "params"):
            continue
        assert list(theirs).index(arg) == list(ours).index(arg), arg  # same positional order
        assert theirs[arg].default == p.default, arg


def test_params_are_updated_in_place_and_bad_input_raises():
    p = np.ones(3)
    opt = optim.SGD([p], lr=0.5)
    opt.step([np.ones(3)])
    assert_allclose(p, 0.5)
    with pytest.raises(ValueError, match="grads"):
        opt.step([np.ones(2)])
    with pytest.raises(ValueError, match="grads"):
        opt.step([np.ones(3), np.ones(3)])
    with pytest.raises(TypeError, match="params"):
        optim.Adam([[1.0, 2.0]])
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([p], nesterov=True)
    with pytest.raises(ValueError, match="lr"):
        optim.Adam([p], lr=-1.0)
