"""NumPy optimizers with ``torch.optim``'s constructor arguments, defaults and exact formulas.

``params`` is a list of NumPy float arrays, updated **in place** by ``step(grads)`` where
``grads`` is a list of arrays in the same order (the caller computes them; there is no
``zero_grad`` because nothing accumulates here). Per-parameter buffers live in ``self.state``.
Weight decay is torch's L2 form, ``g += weight_decay * p`` before the update, in every optimizer
but AdamW, whose decay is decoupled from the gradient.
"""

import math

import numpy as np


class Optimizer:
    """Checks the arguments; ``step(grads)`` runs the subclass's ``_update(p, g, state)`` for every
    parameter ``p`` with its gradient ``g`` (a copy in ``p``'s dtype, with the L2 weight decay
    ``weight_decay * p`` already added unless ``decoupled``) and its own ``state`` dict."""

    decoupled = False  # True: the subclass applies weight decay to p itself (AdamW)

    def __init__(self, params, **defaults):
        self.params = list(params)
        for i, p in enumerate(self.params):
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise TypeError(f"params[{i}] must be a floating numpy.ndarray, got {type(p).__name__}")
        if defaults.get("lr", 0.0) < 0.0:
            raise ValueError(f"lr must be >= 0, got {defaults['lr']}")
        self.defaults = defaults
        self.__dict__.update(defaults)
        self.state = [{} for _ in self.params]

    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"grads must have one array per parameter ({len(self.params)}), got {len(grads)}")
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] must have shape {p.shape}, got {g.shape}")
            g = np.array(g, dtype=p.dtype)
            if self.defaults.get("weight_decay", 0.0) != 0 and not self.decoupled:
                g += self.weight_decay * p
            self._update(p, g, self.state[i])


class SGD(Optimizer):
    """``g += wd p``; ``b = mu b + (1 - dampening) g`` (``b = g`` at the first step);
    ``g = g + mu b`` if nesterov else ``b``; ``p -= lr g``."""

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(
            params, lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov
        )

    def _update(self, p, g, state):
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()
            else:
                b = state["momentum_buffer"]
                b *= self.momentum
                b += (1 - self.dampening) * g
            b = state["momentum_buffer"]
            g = g + self.momentum * b if self.nesterov else b
        p -= self.lr * g


class RMSprop(Optimizer):
    """``v = alpha v + (1 - alpha) g^2``; ``avg = sqrt(v - gbar^2) + eps`` (centered, with
    ``gbar = alpha gbar + (1 - alpha) g``) or ``sqrt(v) + eps``; ``p -= lr g / avg``, or with
    momentum ``b = mu b + g / avg; p -= lr b``."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(
            params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered
        )

    def _update(self, p, g, state):
        if not state:
            state["square_avg"] = np.zeros_like(p)
            if self.momentum > 0:
                state["momentum_buffer"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        v = state["square_avg"]
        v *= self.alpha
        v += (1 - self.alpha) * g * g
        if self.centered:
            gbar = state["grad_avg"]
            gbar *= self.alpha
            gbar += (1 - self.alpha) * g
            avg = np.sqrt(v - gbar * gbar) + self.eps
        else:
            avg = np.sqrt(v) + self.eps
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum
            b += g / avg
            p -= self.lr * b
        else:
            p -= self.lr * g / avg


class Adagrad(Optimizer):
    """``clr = lr / (1 + (t - 1) lr_decay)``; ``s += g^2``; ``p -= clr g / (sqrt(s) + eps)``."""

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
    ):
        super().__init__(
            params,
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        for p, state in zip(self.params, self.state, strict=True):
            state["step"] = 0
            state["sum"] = np.full_like(p, initial_accumulator_value)

    def _update(self, p, g, state):
        state["step"] += 1
        clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] += g * g
        p -= clr * g / (np.sqrt(state["sum"]) + self.eps)


class Adam(Optimizer):
    """``m = b1 m + (1 - b1) g``; ``v = b2 v + (1 - b2) g^2`` (with ``g += wd p`` first: L2, not
    decoupled); ``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)``; amsgrad uses the
    running ``max`` of ``v`` in place of ``v``."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"betas must lie in [0, 1), got {betas}")
        super().__init__(params, lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _update(self, p, g, state):
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(p), exp_avg_sq=np.zeros_like(p))
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(p)
        beta1, beta2 = self.betas
        state["step"] += 1
        t = state["step"]
        if self.decoupled and self.weight_decay != 0:
            p *= 1 - self.lr * self.weight_decay
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (g - m)  # torch's lerp: m + (1 - b1)(g - m) = b1 m + (1 - b1) g
        v *= beta2
        v += (1 - beta2) * g * g
        if self.amsgrad:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        step_size = self.lr / (1 - beta1**t)
        denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + self.eps
        p -= step_size * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay: ``p *= 1 - lr wd`` before the Adam step (``wd=0.01``)."""

    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
