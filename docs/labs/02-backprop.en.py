# %% [markdown]
# # Lab 2: Backpropagation and autodiff
#
# Exercises to implement and check the ideas of the "Backpropagation and autodiff" chapter yourself.
# Under each exercise is a solution cell, followed by a cell of `assert`s that checks it. Delete the
# solution, write your own, and run the check. Run top to bottom, the notebook finishes in seconds.
#
# Running it outside the repository? Install `nnref` first (with the CPU build of PyTorch):
#
# ```bash
# pip install "nnref[examples] @ git+https://github.com/nnref/nnref" --extra-index-url https://download.pytorch.org/whl/cpu
# ```
#
# In Jupyter, run the same line in a cell with `%pip` in place of `pip`.

# %%
import math

import numpy as np
import torch
from torch import nn

from nnref.autograd import MLP, Value
from nnref.scratch import gradcheck, numerical_gradient, relative_error

_ = torch.manual_seed(0)  # returns the generator: "_ =" keeps Jupyter from printing it

# %% [markdown]
# ## Exercise 1. Gradients of the 2-2-1 network by hand
#
# The network of the source notes (seed 001): $x = (0.5, 0.3)$, $w_1 = 0.7$, $w_2 = 0.3$, $w_3 = 0.4$, $w_4 = 0.6$,
# $w_5 = 0.55$, $w_6 = 0.45$, sigmoids, no biases, target 1, loss $C = (y - o_1)^2$, learning rate 0.1.
# Compute the gradients of all six weights with the chain rule, and the weights after one gradient-descent step.

# %%
x1, x2, y, lr = 0.5, 0.3, 1.0, 0.1
w = {"w1": 0.7, "w2": 0.3, "w3": 0.4, "w4": 0.6, "w5": 0.55, "w6": 0.45}

# solution
def sig(z):
    return 1 / (1 + math.exp(-z))

h1 = sig(x1 * w["w1"] + x2 * w["w3"])
h2 = sig(x1 * w["w2"] + x2 * w["w4"])
o1 = sig(h1 * w["w5"] + h2 * w["w6"])
d3 = -2 * (y - o1) * o1 * (1 - o1)
d1 = d3 * w["w5"] * h1 * (1 - h1)
d2 = d3 * w["w6"] * h2 * (1 - h2)
grads = {"w1": d1 * x1, "w2": d2 * x1, "w3": d1 * x2, "w4": d2 * x2, "w5": d3 * h1, "w6": d3 * h2}
new_w = {k: w[k] - lr * grads[k] for k in w}

# %%
t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in w.items()}
th1 = torch.sigmoid(x1 * t["w1"] + x2 * t["w3"])
th2 = torch.sigmoid(x1 * t["w2"] + x2 * t["w4"])
((y - torch.sigmoid(th1 * t["w5"] + th2 * t["w6"])) ** 2).backward()
for k in w:
    assert abs(grads[k] - t[k].grad.item()) < 1e-12, k
assert round(grads["w5"], 4) == -0.0998      # not -0.01 as in the seed
assert round(new_w["w5"], 4) == 0.5600        # not 0.551 as in the seed
print("Exercise 1 passed:", {k: round(v, 6) for k, v in new_w.items()})

# %% [markdown]
# ## Exercise 2. The same computation on the scalar engine
#
# Rebuild the network of exercise 1 with `nnref.autograd.Value` and get the gradients with `backward()`.

# %%
# solution
v = {k: Value(val) for k, val in w.items()}
vh1 = (x1 * v["w1"] + x2 * v["w3"]).sigmoid()
vh2 = (x1 * v["w2"] + x2 * v["w4"]).sigmoid()
vC = (y - (vh1 * v["w5"] + vh2 * v["w6"]).sigmoid()) ** 2
vC.backward()

# %%
for k in w:
    assert abs(v[k].grad - grads[k]) < 1e-15, k
print("Exercise 2 passed")

# %% [markdown]
# ## Exercise 3. Gradients add up
#
# In $f(a) = a \cdot a + \dfrac{3}{a} - a$ the value `a` is used four times. Compute $f'(a)$ at $a = 2$ by hand
# (`by_hand`) and compare with what `Value` finds.

# %%
# solution
by_hand = 2 * 2.0 - 3 / 2.0**2 - 1

# %%
a = Value(2.0)
f = a * a + 3 / a - a
f.backward()
assert abs(a.grad - by_hand) < 1e-15
print("Exercise 3 passed:", a.grad)

# %% [markdown]
# ## Exercise 4. Manual backprop of a two-layer ReLU network
#
# Compute the four gradients of $\hat{Y} = \operatorname{ReLU}(X W_1^\top + b_1) W_2^\top + b_2$,
# $L = \tfrac12 \sum (\hat{Y} - Y)^2$ in NumPy (weights in the `(out, in)` layout of `nn.Linear`).
# The check compares with PyTorch and with central-difference numerical gradients.

# %%
rng = np.random.default_rng(0)
X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)

# solution
z1 = X @ W1.T + b1
a1 = np.maximum(z1, 0)
out = a1 @ W2.T + b2
delta2 = out - Y
dW2, db2 = delta2.T @ a1, delta2.sum(axis=0)
delta1 = (delta2 @ W2) * (z1 > 0)
dW1, db1 = delta1.T @ X, delta1.sum(axis=0)

# %%
params = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
tout = torch.relu(torch.tensor(X) @ params[0].T + params[1]) @ params[2].T + params[3]
(0.5 * ((tout - torch.tensor(Y)) ** 2).sum()).backward()
for mine, p in zip((dW1, db1, dW2, db2), params):
    np.testing.assert_allclose(mine, p.grad.numpy(), rtol=1e-10, atol=1e-12)

def loss_of_W1(W):
    return 0.5 * np.sum((np.maximum(X @ W.T + b1, 0) @ W2.T + b2 - Y) ** 2)

assert gradcheck(loss_of_W1, W1, dW1)
print("Exercise 4 passed")

# %% [markdown]
# ## Exercise 5. Forward vs central difference
#
# Estimate the derivative of $f(w) = w^3$ at $w = 1$ (exactly 3) with forward and central differences for
# $h = 10^{-1}, \ldots, 10^{-12}$, and find the $h$ with the smallest error for each method.

# %%
hs = [float(f"1e-{k}") for k in range(1, 13)]

# solution
err_fwd = [abs(((1 + h) ** 3 - 1) / h - 3) for h in hs]
err_ctr = [abs(((1 + h) ** 3 - (1 - h) ** 3) / (2 * h) - 3) for h in hs]
best_fwd = hs[int(np.argmin(err_fwd))]
best_ctr = hs[int(np.argmin(err_ctr))]

# %%
assert 1e-10 <= best_fwd <= 1e-6 and 1e-7 <= best_ctr <= 1e-3
assert min(err_ctr) < min(err_fwd)
assert err_fwd[-1] > err_fwd[hs.index(best_fwd)] * 100   # too small an h is worse
print(f"Exercise 5 passed: best h forward {best_fwd:.0e}, central {best_ctr:.0e}")

# %% [markdown]
# ## Exercise 6. A custom sigmoid `Function`
#
# Implement the sigmoid as a `torch.autograd.Function`. For the backward pass save the **output** $s$ rather
# than the input and use $s(1 - s)$. `gradcheck` checks it.

# %%
# solution
class MySigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        s = 1 / (1 + torch.exp(-input))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)

# %%
inp = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
assert torch.autograd.gradcheck(MySigmoid.apply, (inp,))
assert torch.allclose(MySigmoid.apply(inp), torch.sigmoid(inp))
print("Exercise 6 passed")

# %% [markdown]
# ## Exercise 7. Measuring vanishing gradients
#
# For a sigmoid MLP of width 32 and depth 10, with and without residual connections, compute the ratio of the
# weight-gradient norms of the first and the last layer.

# %%
def ratio_first_last(residual, depth=10, width=32):
    torch.manual_seed(0)
    layers = [nn.Linear(width, width).double() for _ in range(depth)]
    h = torch.randn(64, width, dtype=torch.float64)
    # solution
    for layer in layers:
        out = torch.sigmoid(layer(h))
        h = h + out if residual else out
    h.pow(2).mean().backward()
    return (layers[0].weight.grad.norm() / layers[-1].weight.grad.norm()).item()

plain, res = ratio_first_last(False), ratio_first_last(True)

# %%
assert plain < 1e-4, plain
assert res > 1e-2, res
print(f"Exercise 7 passed: plain {plain:.1e}, residual {res:.1e}")

# %% [markdown]
# ## Exercise 8. Training with the scalar engine
#
# Train `nnref.autograd.MLP(2, [8, 1])` on the four XOR points (targets $\pm 1$) with gradient descent until the
# loss is below 0.05. Do not forget `zero_grad()` at every step.

# %%
points = [[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]
targets = [-1.0, -1.0, 1.0, 1.0]
model = MLP(2, [8, 1], seed=0)

# solution
for step in range(200):
    loss = sum(((model(p) - t) ** 2 for p, t in zip(points, targets)), Value(0.0)) / 4
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad

# %%
assert loss.data < 0.05, loss.data
assert all((model(p).data > 0) == (t > 0) for p, t in zip(points, targets))
print(f"Exercise 8 passed: loss {loss.data:.4f}")
