"""NumPy RNN, LSTM and GRU: cells (and the Elman cell's backward, which BPTT in
:mod:`nnref.scratch.bptt` steps through) and multi-layer, bidirectional sequence functions.

Everything follows torch: gate order ``i, f, g, o`` (LSTM) and ``r, z, n`` (GRU) stacked in
``weight_ih (G*H, I)``, ``weight_hh (G*H, H)``, ``bias_ih (G*H,)``, ``bias_hh (G*H,)``; the
sequence functions take an ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` ``state_dict`` converted to
NumPy (keys ``weight_ih_l0``, ``weight_hh_l1_reverse``, ...) and return what the module returns.
"""

from __future__ import annotations

import numpy as np

from nnref.scratch._validate import check_array, check_float, check_grad, check_param
from nnref.scratch.functional import (
    linear,
    linear_backward,
    relu,
    relu_backward,
    sigmoid,
    tanh,
    tanh_backward,
)

_NONLINEARITIES = {"tanh": (tanh, tanh_backward), "relu": (relu, relu_backward)}


def _check_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh, gates, name, h_name="h"):
    """Shapes and dtypes of a cell's arguments: every array must have the input's dtype."""
    check_float("input", input)
    check_array("weight_hh", weight_hh, ndim=2)
    check_array("weight_ih", weight_ih, ndim=2)
    hidden = weight_hh.shape[1]
    if weight_ih.shape[0] != gates * hidden:
        raise ValueError(
            f"{name}: weight_ih must have shape ({gates}*H, I) = ({gates * hidden}, I), got {weight_ih.shape}"
        )
    if weight_hh.shape != (gates * hidden, hidden):
        raise ValueError(f"{name}: weight_hh must have shape ({gates * hidden}, {hidden}), got {weight_hh.shape}")
    if input.ndim not in (1, 2) or input.shape[-1] != weight_ih.shape[1]:
        raise ValueError(
            f"{name}: input must have shape (B, {weight_ih.shape[1]}) or ({weight_ih.shape[1]},), got {input.shape}"
        )
    check_param(h_name, h, input, input.shape[:-1] + (hidden,))
    for p_name, param in (("weight_ih", weight_ih), ("weight_hh", weight_hh)):
        check_param(p_name, param, input)
    for p_name, param in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        check_param(p_name, param, input, (gates * hidden,))


def _rnn_preactivation(input, h, weight_ih, weight_hh, bias_ih, bias_hh, nonlinearity):
    """``a = x W_ih^T + b_ih + h W_hh^T + b_hh`` and the (forward, backward) of ``act``."""
    _check_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh, 1, "rnn_cell")
    if nonlinearity not in _NONLINEARITIES:
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    a = linear(input, weight_ih, bias_ih) + linear(h, weight_hh, bias_hh)
    return a, _NONLINEARITIES[nonlinearity]


def rnn_cell(input, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None, nonlinearity="tanh"):
    """Elman cell: ``h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    input ``(B, I)``, h ``(B, H)``, weight_ih ``(H, I)``, weight_hh ``(H, H)`` -> h' ``(B, H)``.
    """
    a, (act, _) = _rnn_preactivation(input, h, weight_ih, weight_hh, bias_ih, bias_hh, nonlinearity)
    return act(a)


def rnn_cell_backward(grad_output, input, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None, nonlinearity="tanh"):
    """Returns ``(grad_input, grad_h, grad_weight_ih, grad_weight_hh, grad_bias_ih,
    grad_bias_hh)`` (None for an absent bias): with ``da = g * act'(a)``, the backward of the
    two linear maps, ``dx = da W_ih``, ``dh = da W_hh``, ``dW_ih = da^T x``, ``dW_hh = da^T h``,
    ``db_ih = db_hh = sum_b da``. ``dh`` is what BPTT hands to the step before.
    """
    a, (_, act_backward) = _rnn_preactivation(input, h, weight_ih, weight_hh, bias_ih, bias_hh, nonlinearity)
    grad_a = act_backward(check_grad(grad_output, a.shape, input), a)
    grad_input, grad_weight_ih, grad_bias_ih = linear_backward(grad_a, input, weight_ih, bias_ih)
    grad_h, grad_weight_hh, grad_bias_hh = linear_backward(grad_a, h, weight_hh, bias_hh)
    return grad_input, grad_h, grad_weight_ih, grad_weight_hh, grad_bias_ih, grad_bias_hh


def lstm_cell(input, hx, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """LSTM cell, gates ``i, f, g, o`` stacked in that order (weight_ih ``(4H, I)``)::

        i, f, g, o = split(x W_ih^T + b_ih + h W_hh^T + b_hh)
        i, f, o = sigmoid(i), sigmoid(f), sigmoid(o);  g = tanh(g)
        c' = f * c + i * g;  h' = o * tanh(c')

    input ``(B, I)``, hx ``(h, c)`` each ``(B, H)`` -> ``(h', c')`` each ``(B, H)``.
    """
    h, c = _check_pair(hx, "lstm_cell", "(B, H)")
    _check_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh, 4, "lstm_cell", "hx[0] (h)")
    check_param("hx[1] (c)", c, input, h.shape)
    gates = linear(input, weight_ih, bias_ih) + linear(h, weight_hh, bias_hh)
    i, f, g, o = np.split(gates, 4, axis=-1)
    c_next = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_next), c_next


def gru_cell(input, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """GRU cell, gates ``r, z, n`` stacked in that order (weight_ih ``(3H, I)``)::

        r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)
        z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)
        n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
        h' = (1 - z) * n + z * h

    input ``(B, I)``, h ``(B, H)`` -> h' ``(B, H)``.
    """
    _check_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh, 3, "gru_cell")
    x_r, x_z, x_n = np.split(linear(input, weight_ih, bias_ih), 3, axis=-1)
    h_r, h_z, h_n = np.split(linear(h, weight_hh, bias_hh), 3, axis=-1)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    return (1.0 - z) * n + z * h


def _check_pair(hx, name, shape):
    if not (isinstance(hx, (tuple, list)) and len(hx) == 2):
        got = f"an array of shape {hx.shape}" if isinstance(hx, np.ndarray) else type(hx).__name__
        raise TypeError(f"{name}: hx must be an (h, c) pair of arrays, each {shape}; got {got}")
    return hx


def _layer_params(state_dict, layer, suffix):
    key = f"l{layer}{suffix}"
    try:
        w_ih, w_hh = state_dict[f"weight_ih_{key}"], state_dict[f"weight_hh_{key}"]
    except KeyError as err:
        raise ValueError(f"state_dict has no {err.args[0]!r}; check num_layers and bidirectional") from None
    b_ih, b_hh = state_dict.get(f"bias_ih_{key}"), state_dict.get(f"bias_hh_{key}")
    return [np.asarray(p) if p is not None else None for p in (w_ih, w_hh, b_ih, b_hh)]


def _run(step, input, states, state_dict, num_layers, bidirectional, batch_first, name):
    """Shared loop. ``states``: tuple of ``(L*D, B, H)`` arrays (h, or h and c) or None."""
    x = check_float("input", input)
    unbatched = x.ndim == 2
    if x.ndim not in (2, 3):
        raise ValueError(
            f"{name}: input must have shape (T, B, I), (B, T, I) with batch_first, or (T, I); got {x.shape}"
        )
    if unbatched:
        x = x[:, None]
    elif batch_first:
        x = x.swapaxes(0, 1)  # now (T, B, I)
    steps, batch = x.shape[:2]
    num_dirs = 2 if bidirectional else 1
    hidden = _layer_params(state_dict, 0, "")[1].shape[1]
    shape = (num_layers * num_dirs, batch, hidden)
    if states is None:  # zeros, as torch (shape already has the batch dim of an unbatched input)
        states = [np.zeros(shape, dtype=x.dtype)] * step.n_states
    else:
        states = [np.asarray(s)[:, None] if unbatched else np.asarray(s) for s in states]
    for s in states:
        if s.shape != shape:
            want = shape[:1] + shape[2:] if unbatched else shape
            raise ValueError(
                f"{name}: initial state must have shape (num_layers * num_directions, B, H) = {want}, got {s.shape}"
            )
    finals = [[] for _ in states]
    for layer in range(num_layers):
        outputs = []
        for d in range(num_dirs):
            params = _layer_params(state_dict, layer, "_reverse" if d else "")
            k = layer * num_dirs + d
            state = tuple(s[k] for s in states)
            order = range(steps - 1, -1, -1) if d else range(steps)
            out = [None] * steps
            for t in order:
                state = step(x[t], state, *params)
                out[t] = state[0]
            outputs.append(np.stack(out))
            for f, s in zip(finals, state, strict=True):
                f.append(s)
        x = np.concatenate(outputs, axis=-1)  # (T, B, D*H): next layer's input
    finals = [np.stack(f) for f in finals]
    if unbatched:
        x, finals = x[:, 0], [f[:, 0] for f in finals]
    elif batch_first:
        x = x.swapaxes(0, 1)
    return x, finals


def _rnn_step(nonlinearity):
    def step(x, state, *params):
        return (rnn_cell(x, state[0], *params, nonlinearity=nonlinearity),)

    step.n_states = 1
    return step


def _lstm_step(x, state, *params):
    return lstm_cell(x, state, *params)


def _gru_step(x, state, *params):
    return (gru_cell(x, state[0], *params),)


_lstm_step.n_states = 2
_gru_step.n_states = 1


def rnn(input, h0, state_dict, num_layers=1, bidirectional=False, batch_first=False, nonlinearity="tanh"):
    """``nn.RNN`` forward: input ``(T, B, I)`` (``(B, T, I)`` if batch_first), h0
    ``(num_layers * D, B, H)`` or None -> ``output (T, B, D*H)`` (``(B, T, D*H)`` if batch_first),
    ``h_n (num_layers * D, B, H)`` (batch_first does not change the states' layout, as in torch).
    An unbatched input ``(T, I)`` gives ``output (T, D*H)`` and states without the ``B`` axis.
    """
    states = None if h0 is None else (h0,)
    out, (h_n,) = _run(
        _rnn_step(nonlinearity), input, states, state_dict, num_layers, bidirectional, batch_first, "rnn"
    )
    return out, h_n


def lstm(input, hx, state_dict, num_layers=1, bidirectional=False, batch_first=False):
    """``nn.LSTM`` forward: input as :func:`rnn`, hx ``(h0, c0)`` each ``(num_layers * D, B, H)``
    or None -> ``output (T, B, D*H)`` (``(B, T, D*H)`` if batch_first), ``(h_n, c_n)`` each
    ``(num_layers * D, B, H)``; an unbatched input drops the ``B`` axis, as in :func:`rnn`.
    """
    if any(str(key).startswith("weight_hr_") for key in state_dict):
        raise NotImplementedError("lstm: proj_size > 0 (weight_hr_l* in the state_dict) is not supported")
    if hx is not None:
        _check_pair(hx, "lstm", "(num_layers * num_directions, B, H)")
    out, (h_n, c_n) = _run(_lstm_step, input, hx, state_dict, num_layers, bidirectional, batch_first, "lstm")
    return out, (h_n, c_n)


def gru(input, h0, state_dict, num_layers=1, bidirectional=False, batch_first=False):
    """``nn.GRU`` forward; shapes as :func:`rnn`."""
    states = None if h0 is None else (h0,)
    out, (h_n,) = _run(_gru_step, input, states, state_dict, num_layers, bidirectional, batch_first, "gru")
    return out, h_n
