"""nnref.scratch RNN / LSTM / GRU cells, sequence functions and BPTT against torch (float64)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from nnref.scratch import (
    gru,
    gru_cell,
    lstm,
    lstm_cell,
    rnn,
    rnn_backward,
    rnn_cell,
    rnn_cell_backward,
    rnn_forward,
)

TOL = dict(rtol=1e-10, atol=1e-12)
MODULES = {"rnn": (torch.nn.RNN, rnn), "lstm": (torch.nn.LSTM, lstm), "gru": (torch.nn.GRU, gru)}


def numpy_state(module):
    return {k: v.detach().numpy() for k, v in module.state_dict().items()}


def randn(*shape, requires_grad=False):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=requires_grad)


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 4),
    inp=st.integers(1, 5),
    hidden=st.integers(1, 6),
    kind=st.sampled_from(["rnn_tanh", "rnn_relu", "lstm", "gru"]),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_cells_match_torch(batch, inp, hidden, kind, bias, seed):
    torch.manual_seed(seed)
    x, h = randn(batch, inp), randn(batch, hidden)
    if kind.startswith("rnn"):
        nl = kind[4:]
        cell = torch.nn.RNNCell(inp, hidden, bias=bias, nonlinearity=nl).double()
        got = rnn_cell(x.numpy(), h.numpy(), *[p.detach().numpy() for p in cell.parameters()], nonlinearity=nl)
        assert_allclose(got, cell(x, h).detach().numpy(), **TOL)
    elif kind == "lstm":
        cell, c = torch.nn.LSTMCell(inp, hidden, bias=bias).double(), randn(batch, hidden)
        h1, c1 = lstm_cell(x.numpy(), (h.numpy(), c.numpy()), *[p.detach().numpy() for p in cell.parameters()])
        want_h, want_c = cell(x, (h, c))
        assert_allclose(h1, want_h.detach().numpy(), **TOL)
        assert_allclose(c1, want_c.detach().numpy(), **TOL)
    else:
        cell = torch.nn.GRUCell(inp, hidden, bias=bias).double()
        got = gru_cell(x.numpy(), h.numpy(), *[p.detach().numpy() for p in cell.parameters()])
        assert_allclose(got, cell(x, h).detach().numpy(), **TOL)


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 4),
    inp=st.integers(1, 5),
    hidden=st.integers(1, 6),
    nonlinearity=st.sampled_from(["tanh", "relu"]),
    bias=st.booleans(),
    unbatched=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_rnn_cell_backward_matches_autograd(batch, inp, hidden, nonlinearity, bias, unbatched, seed):
    torch.manual_seed(seed)
    cell = torch.nn.RNNCell(inp, hidden, bias=bias, nonlinearity=nonlinearity).double()
    shape = () if unbatched else (batch,)
    x, h = randn(*shape, inp, requires_grad=True), randn(*shape, hidden, requires_grad=True)
    out = cell(x, h)
    g = torch.randn_like(out)
    out.backward(g)
    params = [p.detach().numpy() for p in cell.parameters()] + ([] if bias else [None, None])
    grads = rnn_cell_backward(g.numpy(), x.detach().numpy(), h.detach().numpy(), *params, nonlinearity=nonlinearity)
    want = [x.grad, h.grad] + [p.grad for p in cell.parameters()] + ([] if bias else [None, None])
    assert len(grads) == 6
    for ours, theirs in zip(grads, want, strict=True):
        if theirs is None:
            assert ours is None
        else:
            assert_allclose(ours, theirs.numpy(), **TOL)


def test_unbatched_cell():
    cell = torch.nn.LSTMCell(3, 4).double()
    x, h, c = randn(3), randn(4), randn(4)
    h1, c1 = lstm_cell(x.numpy(), (h.numpy(), c.numpy()), *[p.detach().numpy() for p in cell.parameters()])
    want = cell(x, (h, c))
    assert_allclose(h1, want[0].detach().numpy(), **TOL)
    assert_allclose(c1, want[1].detach().numpy(), **TOL)


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(sorted(MODULES)),
    steps=st.integers(1, 5),
    batch=st.integers(1, 3),
    inp=st.integers(1, 4),
    hidden=st.integers(1, 4),
    num_layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    batch_first=st.booleans(),
    give_h0=st.booleans(),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_sequence_functions_match_modules(
    kind, steps, batch, inp, hidden, num_layers, bidirectional, batch_first, give_h0, bias, seed
):
    torch.manual_seed(seed)
    module_cls, fn = MODULES[kind]
    m = module_cls(
        inp, hidden, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias
    ).double()
    x = randn((batch, steps, inp) if batch_first else (steps, batch, inp))
    state_shape = (num_layers * (2 if bidirectional else 1), batch, hidden)
    if not give_h0:
        hx, hx_np = None, None
    elif kind == "lstm":
        hx = (randn(state_shape), randn(state_shape))
        hx_np = tuple(s.numpy() for s in hx)
    else:
        hx = randn(state_shape)
        hx_np = hx.numpy()
    want_out, want_state = m(x, hx)
    out, state = fn(
        x.numpy(), hx_np, numpy_state(m), num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first
    )
    assert out.shape == tuple(want_out.shape)
    assert_allclose(out, want_out.detach().numpy(), **TOL)
    if kind == "lstm":
        assert_allclose(state[0], want_state[0].detach().numpy(), **TOL)
        assert_allclose(state[1], want_state[1].detach().numpy(), **TOL)
    else:
        assert_allclose(state, want_state.detach().numpy(), **TOL)


def test_unbatched_sequence_and_relu():
    m = torch.nn.RNN(3, 4, num_layers=2, bidirectional=True, nonlinearity="relu").double()
    x, h0 = randn(6, 3), randn(4, 4)
    want_out, want_h = m(x, h0)
    out, h_n = rnn(x.numpy(), h0.numpy(), numpy_state(m), num_layers=2, bidirectional=True, nonlinearity="relu")
    assert_allclose(out, want_out.detach().numpy(), **TOL)
    assert_allclose(h_n, want_h.detach().numpy(), **TOL)


def test_bad_shapes_raise():
    m = torch.nn.LSTM(3, 4).double()
    with pytest.raises(ValueError, match="initial state"):
        lstm(np.zeros((5, 2, 3)), (np.zeros((1, 3, 4)),) * 2, numpy_state(m))
    with pytest.raises(ValueError, match="input"):
        lstm(np.zeros((5, 2, 2)), None, numpy_state(m))
    with pytest.raises(ValueError, match="weight_ih_l1"):
        lstm(np.zeros((5, 2, 3)), None, numpy_state(m), num_layers=2)
    with pytest.raises(ValueError, match="nonlinearity"):
        rnn_cell(np.zeros((1, 3)), np.zeros((1, 4)), np.zeros((4, 3)), np.zeros((4, 4)), nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="weight_hh"):
        gru_cell(np.zeros((1, 3)), np.zeros((1, 4)), np.zeros((12, 3)), np.zeros((4, 4)))


@settings(max_examples=25, deadline=None)
@given(
    steps=st.integers(1, 6),
    batch=st.integers(1, 3),
    inp=st.integers(1, 4),
    hidden=st.integers(1, 5),
    nonlinearity=st.sampled_from(["tanh", "relu"]),
    bias=st.booleans(),
    use_grad_h_n=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_bptt_matches_autograd(steps, batch, inp, hidden, nonlinearity, bias, use_grad_h_n, seed):
    torch.manual_seed(seed)
    m = torch.nn.RNN(inp, hidden, nonlinearity=nonlinearity, bias=bias).double()
    x = randn(steps, batch, inp, requires_grad=True)
    h0 = randn(1, batch, hidden, requires_grad=True)
    out, h_n = m(x, h0)
    out.retain_grad()
    g_out = torch.randn_like(out)
    g_h = torch.randn_like(h_n) if use_grad_h_n else torch.zeros_like(h_n)
    # out[-1] and h_n[0] are the same values; torch sums both gradients into them
    torch.autograd.backward([out, h_n], [g_out, g_h])

    params = [p.detach().numpy() for p in m.parameters()]
    if not bias:
        params += [None, None]
    output, cache = rnn_forward(x.detach().numpy(), h0[0].detach().numpy(), *params, nonlinearity=nonlinearity)
    assert_allclose(output, out.detach().numpy(), **TOL)
    grads = rnn_backward(g_out.numpy(), cache, g_h[0].numpy() if use_grad_h_n else None)
    assert_allclose(grads["input"], x.grad.numpy(), **TOL)
    assert_allclose(grads["h0"], h0.grad[0].numpy(), **TOL)
    assert_allclose(grads["weight_ih"], m.weight_ih_l0.grad.numpy(), **TOL)
    assert_allclose(grads["weight_hh"], m.weight_hh_l0.grad.numpy(), **TOL)
    if bias:
        assert_allclose(grads["bias_ih"], m.bias_ih_l0.grad.numpy(), **TOL)
        assert_allclose(grads["bias_hh"], m.bias_hh_l0.grad.numpy(), **TOL)
    else:
        assert grads["bias_ih"] is None and grads["bias_hh"] is None


def test_bptt_hidden_gradient_norms():
    """grad_h_norms[t] is ||dL/dh_t||, the total gradient reaching h_t (checked with hooks)."""
    torch.manual_seed(0)
    steps, hidden = 12, 5
    cell = torch.nn.RNNCell(2, hidden).double()
    x = randn(steps, 3, 2)
    h, hs = torch.zeros(3, hidden, dtype=torch.float64), []
    for t in range(steps):
        h = cell(x[t], h)
        h.retain_grad()
        hs.append(h)
    h.sum().backward()  # loss reads the last step only
    params = [p.detach().numpy() for p in cell.parameters()]
    output, cache = rnn_forward(x.numpy(), np.zeros((3, hidden)), *params)
    grad_output = np.zeros_like(output)
    grad_output[-1] = 1.0
    norms = rnn_backward(grad_output, cache)["grad_h_norms"]
    assert_allclose(norms, [np.linalg.norm(h.grad.numpy()) for h in hs], **TOL)
    # a small recurrent matrix makes the gradient shrink going back in time
    small = [params[0], params[1] * 0.1] + params[2:]
    _, cache = rnn_forward(x.numpy(), np.zeros((3, hidden)), *small)
    norms = rnn_backward(grad_output, cache)["grad_h_norms"]
    assert norms[0] < 1e-6 * norms[-1]


def test_bptt_bad_shapes():
    with pytest.raises(ValueError, match="h0"):
        rnn_forward(np.zeros((2, 3, 4)), np.zeros((2, 5)), np.zeros((5, 4)), np.zeros((5, 5)))
    _, cache = rnn_forward(np.zeros((2, 3, 4)), np.zeros((3, 5)), np.zeros((5, 4)), np.zeros((5, 5)))
    with pytest.raises(ValueError, match="grad_output"):
        rnn_backward(np.zeros((2, 3, 4)), cache)
