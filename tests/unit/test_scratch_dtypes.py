"""dtypes of nnref.scratch against torch: float32 in gives float32 out, forward and backward, with
the values torch computes in float32 (and float64); integer input is refused where torch refuses
it and computed like torch where torch accepts it. (conv2d and pooling: test_scratch_conv.py.)"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnref.scratch import functional as sf
from nnref.scratch import losses as sl
from nnref.scratch import recurrent as sr
from nnref.scratch.bptt import rnn_backward, rnn_forward
from nnref.scratch.conv import avg_pool2d, conv2d, max_pool2d

DTYPES = {
    "float64": (np.float64, dict(rtol=1e-10, atol=1e-12)),
    "float32": (np.float32, dict(rtol=1e-5, atol=1e-5)),
}
R = np.random.default_rng(7)
MASK = (R.random((4, 5)) >= 0.3).astype(np.float64)  # one dropout mask for ours and torch
PROBS = sf.softmax(R.normal(size=(4, 5)), 1)
LABELS = np.array([0, 3, -100, 4])
W5 = R.uniform(0.5, 2.0, size=5)


def const(a, like):
    """A constant (target, mask, class weights) in the dtype of ``like`` (a numpy array)."""
    return a.astype(like.dtype) if np.issubdtype(a.dtype, np.floating) else a


def tc(a, like):
    return torch.tensor(const(a, like))


# name: (shapes of the differentiable inputs, ours, ours_backward, torch); constants by closure
OPS = {
    "relu": ([(4, 5)], sf.relu, sf.relu_backward, F.relu),
    "sigmoid": ([(4, 5)], sf.sigmoid, sf.sigmoid_backward, torch.sigmoid),
    "tanh": ([(4, 5)], sf.tanh, sf.tanh_backward, torch.tanh),
    "gelu": ([(4, 5)], sf.gelu, sf.gelu_backward, F.gelu),
    "gelu_tanh": (
        [(4, 5)],
        lambda x: sf.gelu(x, "tanh"),
        lambda g, x: sf.gelu_backward(g, x, "tanh"),
        lambda x: F.gelu(x, approximate="tanh"),
    ),
    "softmax": (
        [(4, 5)],
        lambda x: sf.softmax(x, 1),
        lambda g, x: sf.softmax_backward(g, x, 1),
        lambda x: F.softmax(x, 1),
    ),
    "log_softmax": (
        [(4, 5)],
        lambda x: sf.log_softmax(x, -1),
        lambda g, x: sf.log_softmax_backward(g, x, -1),
        lambda x: F.log_softmax(x, -1),
    ),
    "linear": ([(2, 4, 5), (3, 5), (3,)], sf.linear, sf.linear_backward, F.linear),
    "dropout": (
        [(4, 5)],
        lambda x: sf.dropout(x, 0.3, mask=MASK),
        lambda g, x: sf.dropout_backward(g, x, 0.3, mask=MASK),
        lambda x: x * tc(MASK, x.detach().numpy()) / 0.7,
    ),
    "batch_norm_train": (
        [(6, 3, 2), (3,), (3,)],
        lambda x, w, b: sf.batch_norm(x, None, None, w, b, training=True),
        lambda g, x, w, b: sf.batch_norm_backward(g, x, None, None, w, b, True),
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
    ),
    "mse_loss": (
        [(4, 5)],
        lambda x: sl.mse_loss(x, const(PROBS, x)),
        lambda g, x: sl.mse_loss_backward(g, x, const(PROBS, x)),
        lambda x: F.mse_loss(x, tc(PROBS, x.detach().numpy())),
    ),
    "l1_loss_sum": (
        [(4, 5)],
        lambda x: sl.l1_loss(x, const(PROBS, x), "sum"),
        lambda g, x: sl.l1_loss_backward(g, x, const(PROBS, x), "sum"),
        lambda x: F.l1_loss(x, tc(PROBS, x.detach().numpy()), reduction="sum"),
    ),
    "binary_cross_entropy": (
        [(4, 5)],
        lambda p: sl.binary_cross_entropy(sf.sigmoid(p), const(PROBS, p)),
        lambda g, p: (
            sl.binary_cross_entropy_backward(g, sf.sigmoid(p), const(PROBS, p))
            * sf.sigmoid_backward(np.ones_like(p), p)
        ),
        lambda p: F.binary_cross_entropy(torch.sigmoid(p), tc(PROBS, p.detach().numpy())),
    ),
    "bce_with_logits": (
        [(4, 5)],
        lambda x: sl.binary_cross_entropy_with_logits(
            x, const(PROBS, x), const(W5, x), pos_weight=const(W5, x), reduction="none"
        ),
        lambda g, x: sl.binary_cross_entropy_with_logits_backward(
            g, x, const(PROBS, x), const(W5, x), pos_weight=const(W5, x), reduction="none"
        ),
        lambda x: F.binary_cross_entropy_with_logits(
            x,
            tc(PROBS, x.detach().numpy()),
            tc(W5, x.detach().numpy()),
            pos_weight=tc(W5, x.detach().numpy()),
            reduction="none",
        ),
    ),
    "nll_loss": (
        [(4, 5)],
        lambda x: sl.nll_loss(x, LABELS, const(W5, x)),
        lambda g, x: sl.nll_loss_backward(g, x, LABELS, const(W5, x)),
        lambda x: F.nll_loss(x, torch.tensor(LABELS), tc(W5, x.detach().numpy())),
    ),
    "cross_entropy": (
        [(4, 5)],
        lambda x: sl.cross_entropy(x, LABELS, const(W5, x), label_smoothing=0.2),
        lambda g, x: sl.cross_entropy_backward(g, x, LABELS, const(W5, x), label_smoothing=0.2),
        lambda x: F.cross_entropy(x, torch.tensor(LABELS), tc(W5, x.detach().numpy()), label_smoothing=0.2),
    ),
    "cross_entropy_probs": (
        [(4, 5)],
        lambda x: sl.cross_entropy(x, const(PROBS, x), label_smoothing=0.1),
        lambda g, x: sl.cross_entropy_backward(g, x, const(PROBS, x), label_smoothing=0.1),
        lambda x: F.cross_entropy(x, tc(PROBS, x.detach().numpy()), label_smoothing=0.1),
    ),
}


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("name", sorted(OPS))
def test_op_keeps_dtype_and_matches_torch(name, dtype, close):
    shapes, ours, ours_backward, theirs = OPS[name]
    np_dtype = DTYPES[dtype][0]
    rng = np.random.default_rng(sorted(OPS).index(name))
    arrays = [rng.normal(size=s).astype(np_dtype) for s in shapes]
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_t = theirs(*tensors)
    close(name, ours(*arrays), out_t, dtype, **DTYPES[dtype][1])
    g = rng.normal(size=out_t.shape).astype(np_dtype)  # a random upstream gradient
    want = torch.autograd.grad(out_t, tensors, torch.tensor(g))
    got = ours_backward(g, *arrays)
    got = got if isinstance(got, tuple) else (got,)
    for ours_grad, their_grad in zip(got, want, strict=True):
        close(name + "_backward", ours_grad, their_grad, dtype, **DTYPES[dtype][1])


@pytest.mark.parametrize("dtype", sorted(DTYPES))
def test_batch_norm_eval_and_running_stats_keep_dtype(dtype, close):
    np_dtype = DTYPES[dtype][0]
    x = R.normal(size=(5, 3)).astype(np_dtype)
    rm, rv = np.zeros(3, np_dtype), np.ones(3, np_dtype)
    ref_m, ref_v = torch.tensor(rm), torch.tensor(rv)
    close(
        "batch_norm_train",
        sf.batch_norm(x, rm, rv, training=True),
        F.batch_norm(torch.tensor(x), ref_m, ref_v, training=True),
        dtype,
        **DTYPES[dtype][1],
    )
    close("batch_norm_running", rm, ref_m, dtype, **DTYPES[dtype][1])
    close("batch_norm_running", rv, ref_v, dtype, **DTYPES[dtype][1])
    close(
        "batch_norm_eval",
        sf.batch_norm(x, rm, rv),
        F.batch_norm(torch.tensor(x), ref_m, ref_v),
        dtype,
        **DTYPES[dtype][1],
    )


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_cells_and_sequences_keep_dtype(kind, dtype, close):
    np_dtype = DTYPES[dtype][0]
    torch_dtype = torch.float32 if np_dtype == np.float32 else torch.float64
    torch.manual_seed(0)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    m = module(3, 4, num_layers=2, bidirectional=True).to(torch_dtype)
    state = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    x = torch.randn(5, 2, 3, dtype=torch_dtype)
    want_out, want_h = m(x)
    out, h = getattr(sr, kind)(x.numpy(), None, state, num_layers=2, bidirectional=True)
    close(kind, out, want_out, dtype, **DTYPES[dtype][1])
    for ours, theirs in zip(h if kind == "lstm" else (h,), want_h if kind == "lstm" else (want_h,), strict=True):
        close(kind + "_state", ours, theirs, dtype, **DTYPES[dtype][1])
    cell_cls = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[kind]
    cell = cell_cls(3, 4).to(torch_dtype)
    params = [p.detach().numpy() for p in cell.parameters()]
    h0 = torch.randn(2, 4, dtype=torch_dtype)
    hx = (h0, torch.randn(2, 4, dtype=torch_dtype)) if kind == "lstm" else h0
    hx_np = tuple(s.numpy() for s in hx) if kind == "lstm" else h0.numpy()
    got = getattr(sr, kind + "_cell")(x[0].numpy(), hx_np, *params)
    want = cell(x[0], hx)
    for ours, theirs in zip(got if kind == "lstm" else (got,), want if kind == "lstm" else (want,), strict=True):
        close(kind + "_cell", ours, theirs, dtype, **DTYPES[dtype][1])


@pytest.mark.parametrize("dtype", sorted(DTYPES))
def test_bptt_keeps_dtype(dtype, close):
    np_dtype = DTYPES[dtype][0]
    torch_dtype = torch.float32 if np_dtype == np.float32 else torch.float64
    torch.manual_seed(1)
    m = torch.nn.RNN(3, 4).to(torch_dtype)
    x = torch.randn(6, 2, 3, dtype=torch_dtype, requires_grad=True)
    out, _ = m(x)
    g = torch.randn_like(out)
    out.backward(g)
    params = [p.detach().numpy() for p in m.parameters()]
    output, cache = rnn_forward(x.detach().numpy(), np.zeros((2, 4), np_dtype), *params)
    close("rnn_forward", output, out, dtype, **DTYPES[dtype][1])
    grads = rnn_backward(g.numpy(), cache)
    close("rnn_backward input", grads["input"], x.grad, dtype, **DTYPES[dtype][1])
    for key, p in zip(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], m.parameters(), strict=True):
        close("rnn_backward " + key, grads[key], p.grad, dtype, **DTYPES[dtype][1])


# ---- integer input ------------------------------------------------------------------------------
XI = np.arange(-6, 6).reshape(3, 4)
XI4 = np.arange(-8, 8).reshape(1, 1, 4, 4)
# name: (ours, torch) on int64 input
REFUSED = {
    "gelu": (lambda: sf.gelu(XI), lambda: F.gelu(torch.tensor(XI))),
    "softmax": (lambda: sf.softmax(XI, 1), lambda: F.softmax(torch.tensor(XI), 1)),
    "log_softmax": (lambda: sf.log_softmax(XI, 1), lambda: F.log_softmax(torch.tensor(XI), 1)),
    "dropout": (lambda: sf.dropout(XI, 0.5), lambda: F.dropout(torch.tensor(XI), 0.5)),
    "batch_norm": (
        lambda: sf.batch_norm(XI, None, None, training=True),
        lambda: F.batch_norm(torch.tensor(XI), None, None, training=True),
    ),
    "mse_loss": (lambda: sl.mse_loss(XI, XI), lambda: F.mse_loss(torch.tensor(XI), torch.tensor(XI))),
    "l1_loss": (lambda: sl.l1_loss(XI, XI), lambda: F.l1_loss(torch.tensor(XI), torch.tensor(XI))),
    "binary_cross_entropy": (
        lambda: sl.binary_cross_entropy(XI, XI),
        lambda: F.binary_cross_entropy(torch.tensor(XI), torch.tensor(XI)),
    ),
    "bce_with_logits": (
        lambda: sl.binary_cross_entropy_with_logits(XI, XI),
        lambda: F.binary_cross_entropy_with_logits(torch.tensor(XI), torch.tensor(XI)),
    ),
    "nll_loss": (
        lambda: sl.nll_loss(XI, np.array([0, 1, 2])),
        lambda: F.nll_loss(torch.tensor(XI), torch.tensor([0, 1, 2])),
    ),
    "cross_entropy": (
        lambda: sl.cross_entropy(XI, np.array([0, 1, 2])),
        lambda: F.cross_entropy(torch.tensor(XI), torch.tensor([0, 1, 2])),
    ),
    "lstm_cell": (
        lambda: sr.lstm_cell(XI[:1], (XI[:1, :2], XI[:1, :2]), np.ones((8, 4), int), np.ones((8, 2), int)),
        lambda: torch.nn.LSTMCell(4, 2)(torch.tensor(XI[:1])),
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_integer_input_refused_where_torch_refuses(name):
    ours, theirs = REFUSED[name]
    with pytest.raises((RuntimeError, NotImplementedError)):
        theirs()
    with pytest.raises(TypeError, match=r"input must be a floating-point array .* got dtype int64"):
        ours()


ACCEPTED = {  # torch computes these on integers, and so do we (same values, same dtype)
    "relu": (lambda: sf.relu(XI), lambda: F.relu(torch.tensor(XI))),
    "linear": (lambda: sf.linear(XI, XI[:2]), lambda: F.linear(torch.tensor(XI), torch.tensor(XI[:2]))),
    "conv2d": (
        lambda: conv2d(XI4, XI4[:, :, :2, :3]),
        lambda: F.conv2d(torch.tensor(XI4), torch.tensor(XI4[:, :, :2, :3])),
    ),
    "max_pool2d": (lambda: max_pool2d(XI4, 3, 1, 1), lambda: F.max_pool2d(torch.tensor(XI4), 3, 1, 1)),
    "avg_pool2d": (
        lambda: avg_pool2d(XI4, 3, 2, 1, True, False),
        lambda: F.avg_pool2d(torch.tensor(XI4), 3, 2, 1, True, False),
    ),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_integer_input_computed_like_torch(name):
    ours, theirs = ACCEPTED[name]
    got, want = ours(), theirs().numpy()
    assert got.dtype == want.dtype == np.int64
    np.testing.assert_array_equal(got, want)


def test_backward_refuses_integer_input():
    """Only floating arrays have gradients (torch: requires_grad needs a floating dtype)."""
    with pytest.raises(RuntimeError, match="floating point"):
        torch.tensor(XI, requires_grad=True)
    for call in (
        lambda: sf.relu_backward(np.ones((3, 4)), XI),
        lambda: sf.linear_backward(np.ones((3, 3)), XI, XI[:3]),
        lambda: sl.mse_loss_backward(1.0, XI, XI),
    ):
        with pytest.raises(TypeError, match="input must be a floating-point array"):
            call()
