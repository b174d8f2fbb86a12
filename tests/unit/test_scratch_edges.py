"""The edges of nnref.scratch that torch's own sample inputs reached (issue 19): each case gives
torch's answer, or a clear error naming the argument. Also: every ``<op>_backward`` takes the
forward's arguments by position, in the forward's order, so a call copied from the forward works."""

import inspect

import numpy as np
import pytest
import torch

import nnref.scratch as s

RNG = np.random.default_rng(19)
X = RNG.normal(size=(4, 3))
G = RNG.normal(size=(4, 3))
W_LIN, B_LIN = RNG.normal(size=(2, 3)), RNG.normal(size=2)
H = RNG.normal(size=(4, 2))
CONV_X, CONV_W = RNG.normal(size=(1, 2, 5, 5)), RNG.normal(size=(3, 2, 3, 3))
LABELS = np.array([0, 2, 1, 0])
PROBS = 1 / (1 + np.exp(-X))
TARGET = RNG.uniform(size=(4, 3))
# the forward's full positional argument list for each op, every optional one given (not its default)
FULL = {
    "linear": (X, W_LIN, B_LIN),
    "relu": (X,),
    "sigmoid": (X,),
    "tanh": (X,),
    "gelu": (X, "tanh"),
    "softmax": (X, 0),
    "log_softmax": (X, 0),
    "dropout": (X, 0.25, True),
    "batch_norm": (X, np.zeros(3), np.ones(3), RNG.normal(size=3), RNG.normal(size=3), True, 0.5, 1e-3),
    "mse_loss": (X, TARGET, "sum"),
    "l1_loss": (X, TARGET, "none"),
    "half_sse_loss": (X, TARGET),
    "nll_loss": (X, LABELS, RNG.uniform(size=3)),
    "cross_entropy": (X, LABELS, RNG.uniform(size=3)),
    "binary_cross_entropy": (PROBS, TARGET, RNG.uniform(size=(4, 3))),
    "binary_cross_entropy_with_logits": (X, TARGET, RNG.uniform(size=(4, 3))),
    "rnn_cell": (
        X,
        H,
        RNG.normal(size=(2, 3)),
        RNG.normal(size=(2, 2)),
        RNG.normal(size=2),
        RNG.normal(size=2),
        "relu",
    ),
    "conv2d": (CONV_X, CONV_W, RNG.normal(size=3), 2, 1, 1, 1),
    "max_pool2d": (CONV_X, 2, 1, 1, 1, True),
    "avg_pool2d": (CONV_X, 3, 2, 1, True, False, 5),
}
CACHE_BASED = {"rnn_backward", "mlp2_backward"}  # take the forward's cache, not its arguments
BACKWARDS = sorted(n for n in s.__all__ if n.endswith("_backward") and n not in CACHE_BASED)


def positional(f):
    return [p.name for p in inspect.signature(f).parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]


def test_every_backward_is_listed_here():
    assert sorted(f"{op}_backward" for op in FULL) == BACKWARDS


@pytest.mark.parametrize("name", BACKWARDS)
def test_backward_takes_the_forwards_arguments_by_position(name):
    op = name.removesuffix("_backward")
    forward, backward = getattr(s, op), getattr(s, name)
    assert positional(backward)[1:] == positional(forward), f"{name} must take {op}'s arguments in {op}'s order"
    args = FULL[op]
    assert len(args) == len(positional(forward))
    extra = {"mask": s.dropout_mask(X.shape, 0.25, np.random.default_rng(0))} if op == "dropout" else {}
    out = forward(*(a.copy() if isinstance(a, np.ndarray) else a for a in args), **extra)
    g = np.ones_like(np.asarray(out))
    by_position = backward(g, *args, **extra)
    by_keyword = backward(g, **dict(zip(positional(forward), args, strict=True)), **extra)
    as_tuple = lambda grads: grads if isinstance(grads, tuple) else (grads,)  # noqa: E731
    for a, b in zip(as_tuple(by_position), as_tuple(by_keyword), strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)


def test_batch_norm_backward_by_position_matches_torch():
    """The silent case: the forward's arguments by position used to put momentum in eps."""
    x, w, b = X.copy(), np.full(3, 1.5), np.zeros(3)
    grad_input, grad_weight, _ = s.batch_norm_backward(G, x, None, None, w, b, True, 0.5, 1e-3)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    out = torch.nn.functional.batch_norm(tx, None, None, tw, torch.tensor(b), True, 0.5, 1e-3)
    want_x, want_w = torch.autograd.grad(out, (tx, tw), torch.tensor(G))
    np.testing.assert_allclose(grad_input, want_x.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad_weight, want_w.numpy(), rtol=1e-12, atol=1e-12)


def _torch_grad(f, x, *rest):
    tx = torch.tensor(x, requires_grad=True)
    out = f(tx, *(torch.tensor(r) for r in rest))
    return torch.autograd.grad(out.sum(), tx)[0].numpy(), out.detach().numpy()


@pytest.mark.parametrize(
    ("op", "torch_op"),
    [
        ("mse_loss", torch.nn.functional.mse_loss),
        ("l1_loss", torch.nn.functional.l1_loss),
        ("binary_cross_entropy_with_logits", torch.nn.functional.binary_cross_entropy_with_logits),
    ],
)
def test_losses_of_0d_inputs_and_of_a_float64_target(op, torch_op):
    for x, t in [(np.array(2.0), np.array(0.25)), (X.astype(np.float32), TARGET)]:
        grad = getattr(s, f"{op}_backward")(1.0, x, t)
        want, _ = _torch_grad(torch_op, x, t)
        assert isinstance(grad, np.ndarray) and grad.shape == x.shape
        assert grad.dtype == x.dtype == want.dtype  # float32 in, float32 gradient, as torch
        np.testing.assert_allclose(grad, want, rtol=1e-6)


def test_dropout_of_a_0d_input_in_training():
    out = s.dropout(np.array(3.0), 0.5, True, rng=np.random.default_rng(0))
    assert float(out) in (0.0, 6.0)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_over_an_empty_dim_is_empty(op):
    x = np.zeros((2, 0, 3))
    want = getattr(torch, op)(torch.tensor(x), 1)
    assert getattr(s, op)(x, 1).shape == tuple(want.shape) == (2, 0, 3)
    assert getattr(s, f"{op}_backward")(np.zeros_like(x), x, 1).shape == x.shape


def test_sigmoid_and_tanh_of_integers_are_float32_like_torch():
    ints = np.array([-2, 0, 3])
    for op in ("sigmoid", "tanh"):
        got, want = getattr(s, op)(ints), getattr(torch, op)(torch.tensor(ints))
        assert got.dtype == np.float32 and want.dtype == torch.float32
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-6)


def test_relu_passes_the_gradient_at_nan_like_torch():
    x = np.array([np.nan, -1.0, 0.0, 2.0])
    want, _ = _torch_grad(torch.relu, x)
    np.testing.assert_array_equal(s.relu_backward(np.ones(4), x), want)  # [1, 0, 0, 1]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: s.binary_cross_entropy(np.array([np.nan, 0.5]), np.ones(2)), ValueError, r"probabilities in \[0, 1\]"),
        (
            lambda: s.cross_entropy(X, LABELS.astype(float)),
            ValueError,
            r"class indices must be an integer array.*astype\(np.int64\)",
        ),
        (
            lambda: s.cross_entropy_backward(1.0, X, LABELS.astype(float)),
            ValueError,
            "class indices must be an integer array",
        ),
        (lambda: s.conv2d(CONV_X.astype(object), CONV_W), TypeError, r"input must be a numeric array.*object"),
    ],
    ids=["bce nan", "cross_entropy float indices", "its backward", "conv2d object input"],
)
def test_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def _numpy_state(module):
    return {k: v.detach().double().numpy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize(("name", "cls"), [("rnn", torch.nn.RNN), ("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM)])
def test_unbatched_sequences_without_an_initial_state(name, cls):
    torch.manual_seed(0)
    module = cls(3, 4, num_layers=2, bidirectional=True).double()
    x = RNG.normal(size=(5, 3))  # (T, I): no batch dim
    out, state = getattr(s, name)(x, None, _numpy_state(module), 2, True)
    want_out, want_state = module(torch.tensor(x))
    np.testing.assert_allclose(out, want_out.detach().numpy(), rtol=1e-10, atol=1e-12)
    got = state if name == "lstm" else (state,)
    want = want_state if name == "lstm" else (want_state,)
    for a, b in zip(got, want, strict=True):
        assert a.shape == tuple(b.shape) == (4, 4)
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_lstm_with_a_projection_is_refused_by_name():
    module = torch.nn.LSTM(3, 4, proj_size=2).double()
    hx = (np.zeros((1, 1, 2)), np.zeros((1, 1, 4)))
    with pytest.raises(NotImplementedError, match="proj_size"):
        s.lstm(np.zeros((5, 1, 3)), hx, _numpy_state(module))
