"""Backpropagation through time (BPTT) for a one-layer Elman RNN, in NumPy.

Forward: ``a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh``, ``h_t = tanh(a_t)`` (or relu),
t = 0..T-1, input ``(T, B, I)``, h0 ``(B, H)``. The backward pass walks the steps in reverse::

    dh_t  = grad_output[t] + da_{t+1} W_hh        (the second term carries the past's share)
    da_t  = dh_t * tanh'(a_t) = dh_t * (1 - h_t^2)
    dW_ih += da_t^T x_t;  dW_hh += da_t^T h_{t-1};  db_ih += sum_b da_t;  db_hh += sum_b da_t

and records ``||dh_t||``, the size of the gradient that reaches step t: the quantity that
vanishes (or explodes) as it travels back in time.
"""

from __future__ import annotations

import numpy as np

from nnref.scratch._validate import check_float, check_grad, check_param


def rnn_forward(input, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                nonlinearity="tanh"):
    """Run the RNN over ``input (T, B, I)`` from ``h0 (B, H)``.

    Returns ``output (T, B, H)`` (all h_t) and a cache for :func:`rnn_backward`.
    """
    check_float("input", input)
    check_param("weight_ih", weight_ih, input)
    check_param("weight_hh", weight_hh, input)
    hidden = weight_hh.shape[0]
    if weight_ih.ndim != 2 or weight_ih.shape[0] != hidden or weight_hh.shape != (hidden, hidden):
        raise ValueError(f"weight_ih must have shape (H, I) and weight_hh (H, H), got "
                         f"{weight_ih.shape} and {weight_hh.shape}")
    if input.ndim != 3 or input.shape[2] != weight_ih.shape[1]:
        raise ValueError(f"input must have shape (T, B, {weight_ih.shape[1]}), got {input.shape}")
    check_param("h0", h0, input, (input.shape[1], hidden))
    check_param("bias_ih", bias_ih, input, (hidden,))
    check_param("bias_hh", bias_hh, input, (hidden,))
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    h, hs = h0, []
    for x_t in input:
        a = x_t @ weight_ih.T + h @ weight_hh.T
        a = a + (0 if bias_ih is None else bias_ih) + (0 if bias_hh is None else bias_hh)
        h = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
        hs.append(h)
    output = np.stack(hs)
    cache = (input, h0, output, weight_ih, weight_hh, bias_ih is not None, nonlinearity)
    return output, cache


def rnn_backward(grad_output, cache, grad_h_n=None):
    """Gradients of a loss ``L`` given ``grad_output = dL/doutput (T, B, H)`` (the direct
    gradient on each h_t) and optionally ``grad_h_n = dL/dh_{T-1} (B, H)``.

    Returns a dict: ``input (T, B, I)``, ``h0 (B, H)``, ``weight_ih``, ``weight_hh``,
    ``bias_ih``, ``bias_hh`` (None without biases) and ``grad_h_norms (T,)`` where
    ``grad_h_norms[t] = ||dL/dh_t||`` (Frobenius over batch and hidden units), the total
    gradient reaching step t through all later steps.
    """
    input, h0, output, weight_ih, weight_hh, has_bias, nonlinearity = cache
    grad_output = check_grad(grad_output, output.shape, input)
    if grad_h_n is not None:
        grad_h_n = check_grad(grad_h_n, h0.shape, input, "grad_h_n")
    steps = input.shape[0]
    grads = {"input": np.zeros_like(input), "weight_ih": np.zeros_like(weight_ih),
             "weight_hh": np.zeros_like(weight_hh), "bias": np.zeros(weight_hh.shape[0], input.dtype)}
    norms = np.zeros(steps)
    da_next = np.zeros_like(h0)  # dL/da_{t+1}; nothing flows in after the last step
    for t in range(steps - 1, -1, -1):
        dh = grad_output[t] + da_next @ weight_hh
        if t == steps - 1 and grad_h_n is not None:
            dh = dh + grad_h_n
        norms[t] = np.linalg.norm(dh)
        h_t = output[t]
        h_prev = output[t - 1] if t > 0 else h0
        da = dh * (1.0 - h_t**2) if nonlinearity == "tanh" else dh * (h_t > 0)
        grads["input"][t] += da @ weight_ih
        grads["weight_ih"] += da.T @ input[t]
        grads["weight_hh"] += da.T @ h_prev
        grads["bias"] += da.sum(axis=0)
        da_next = da
    bias = grads.pop("bias")
    grads["h0"] = da_next @ weight_hh
    grads["bias_ih"] = bias if has_bias else None
    grads["bias_hh"] = bias.copy() if has_bias else None
    grads["grad_h_norms"] = norms
    return grads
