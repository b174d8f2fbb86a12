"""Backpropagation through time (BPTT) for a one-layer Elman RNN, in NumPy.

Forward: ``h_t = rnn_cell(x_t, h_{t-1})`` for t = 0..T-1, input ``(T, B, I)``, h0 ``(B, H)``.
The backward pass walks the steps in reverse, each one :func:`rnn_cell_backward`::

    dh_t = grad_output[t] + (dh_t handed back by step t+1)      (the second term: the past's share)
    dx_t, dh_{t-1}, dW_ih, dW_hh, db_ih, db_hh = rnn_cell_backward(dh_t, x_t, h_{t-1}, ...)

with the weight gradients of every step added up, and records ``||dh_t||``, the size of the
gradient that reaches step t: the quantity that vanishes (or explodes) as it travels back in time.
The pair follows the package's cache convention (see :mod:`nnref.scratch`).
"""

from __future__ import annotations

import numpy as np

from nnref.scratch._validate import check_array, check_float, check_grad, check_param
from nnref.scratch.recurrent import rnn_cell, rnn_cell_backward

_PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def rnn_forward(input, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None, nonlinearity="tanh"):
    """Run :func:`rnn_cell` over ``input (T, B, I)`` from ``h0 (B, H)``.

    Returns ``(output, cache)``: ``output (T, B, H)`` holds every h_t; ``cache`` is a dict of the
    arguments by name plus ``output``, what :func:`rnn_backward` reads.
    """
    check_float("input", input, ndim=3)
    check_array("weight_hh", weight_hh, ndim=2)
    check_array("h0", h0, ndim=2)
    check_param("h0", h0, input, (input.shape[1], weight_hh.shape[1]))
    h, hs = h0, []
    for x_t in input:
        h = rnn_cell(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh, nonlinearity)
        hs.append(h)
    output = np.stack(hs)
    cache = dict(
        input=input,
        h0=h0,
        weight_ih=weight_ih,
        weight_hh=weight_hh,
        bias_ih=bias_ih,
        bias_hh=bias_hh,
        nonlinearity=nonlinearity,
        output=output,
    )
    return output, cache


def rnn_backward(grad_output, cache, grad_h_n=None):
    """Gradients of a loss ``L`` given ``grad_output = dL/doutput (T, B, H)`` (the direct
    gradient on each h_t) and optionally ``grad_h_n = dL/dh_{T-1} (B, H)``.

    Returns a dict keyed by :func:`rnn_forward`'s argument names: ``input (T, B, I)``,
    ``h0 (B, H)``, ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` (None without biases);
    plus ``grad_h_norms (T,)``, where ``grad_h_norms[t] = ||dL/dh_t||`` (Frobenius over batch and
    hidden units) is the total gradient reaching step t through all later steps.
    """
    input, h0, output = cache["input"], cache["h0"], cache["output"]
    grad_output = check_grad(grad_output, output.shape, input)
    params = [cache[name] for name in _PARAMETERS]
    grad_h = np.zeros_like(h0)  # dL/dh_t from the steps after t; none after the last one
    if grad_h_n is not None:
        grad_h = check_grad(grad_h_n, h0.shape, input, "grad_h_n")
    grad_input = np.zeros_like(input)
    grad_params = [None if p is None else np.zeros_like(p) for p in params]
    norms = np.zeros(input.shape[0])
    for t in range(input.shape[0] - 1, -1, -1):
        grad_h = grad_output[t] + grad_h
        norms[t] = np.linalg.norm(grad_h)
        h_prev = output[t - 1] if t > 0 else h0
        grad_input[t], grad_h, *grad_step = rnn_cell_backward(
            grad_h, input[t], h_prev, *params, nonlinearity=cache["nonlinearity"]
        )
        for total, grad in zip(grad_params, grad_step, strict=True):
            if total is not None:
                total += grad  # the same weights act at every step: their gradients add up
    return {
        "input": grad_input,
        "h0": grad_h,
        **dict(zip(_PARAMETERS, grad_params, strict=True)),
        "grad_h_norms": norms,
    }
