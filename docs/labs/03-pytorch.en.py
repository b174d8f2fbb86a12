# %% [markdown]
# # Lab 3: Building models in PyTorch
#
# Exercises to check the chapter "Building models in PyTorch" with your own hands. Each exercise
# has a solution in the cell below it, followed by an `assert` cell that checks the answer. Delete
# the solution, write your own, and run the check. Run top to bottom, it finishes in seconds.
#
# Running it outside the repository? Install `nnref` first (with the CPU build of PyTorch):
#
# ```bash
# pip install "nnref[examples] @ git+https://github.com/nnref/nnref" --extra-index-url https://download.pytorch.org/whl/cpu
# ```
#
# In Jupyter, run the same line in a cell with `%pip` in place of `pip`.

# %%
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import nnref.scratch as S
from nnref.data import moons, train_val_test_split

torch.set_num_threads(1)  # tiny models: more threads only slow things down
_ = torch.manual_seed(0)  # returns the generator: "_ =" keeps Jupyter from printing it

# %% [markdown]
# ## Exercise 1. Fix a broken model
#
# `Broken` below makes two mistakes: it does not call `super().__init__()`, and it keeps the
# hidden layers in a Python list. Write `Fixed` with the same structure (8 → 32, three 32 → 32,
# 32 → 1).

# %%
class Broken(nn.Module):
    def __init__(self):
        self.inp = nn.Linear(8, 32)
        self.hidden = [nn.Linear(32, 32) for _ in range(3)]
        self.out = nn.Linear(32, 1)


# solution
class Fixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 32)
        self.hidden = nn.ModuleList([nn.Linear(32, 32) for _ in range(3)])
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        x = F.relu(self.inp(x))
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.out(x)


# %%
try:
    Broken()
    raise AssertionError("Broken() must raise")
except AttributeError as error:
    assert "before Module.__init__() call" in str(error)
fixed = Fixed()
expected = (8 * 32 + 32) + 3 * (32 * 32 + 32) + (32 * 1 + 1)
assert sum(p.numel() for p in fixed.parameters()) == expected
assert len(fixed.state_dict()) == 10
assert fixed(torch.randn(5, 8)).shape == (5, 1)
print("exercise 1 passed:", expected, "parameters")

# %% [markdown]
# ## Exercise 2. A named Sequential
#
# Build an `nn.Sequential` from an `OrderedDict` holding `fc1` (784 → 128), `act` (ReLU), `drop`
# (Dropout 0.2) and `out` (128 → 10). No activation on the output layer.

# %%
# solution
named = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(784, 128)),
    ("act", nn.ReLU()),
    ("drop", nn.Dropout(0.2)),
    ("out", nn.Linear(128, 10)),
]))

# %%
assert list(named.state_dict()) == ["fc1.weight", "fc1.bias", "out.weight", "out.bias"]
assert named[0] is named.fc1 and isinstance(named[-1], nn.Linear)
named.eval()
x = torch.randn(4, 784)
assert torch.equal(named(x), named(x))  # eval mode: dropout off, deterministic
print("exercise 2 passed")

# %% [markdown]
# ## Exercise 3. Parameter count and shapes of a CNN
#
# For the CNN below and an input `(16, 3, 32, 32)`, compute **with the formulas** the number of
# features right after Flatten, `n_flat`, and the total parameter count `n_params`. The conv output
# size is $\lfloor (H + 2P - K)/S \rfloor + 1$, the parameters $C_\text{out} C_\text{in} K^2 + C_\text{out}$.

# %%
# solution
h = (32 + 2 * 1 - 3) // 1 + 1  # conv1: 32
h = h // 2                     # pool: 16
h = (h + 2 * 0 - 5) // 1 + 1   # conv2: 12
h = h // 2                     # pool: 6
n_flat = 16 * h * h
n_params = (8 * 3 * 9 + 8) + (16 * 8 * 25 + 16) + (n_flat * 10 + 10)

# %%
cnn = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(n_flat, 10),  # a wrong n_flat is caught by the shape check below
)
feat = cnn[:7](torch.randn(16, 3, 32, 32))
assert feat.shape == (16, n_flat)
assert n_params == sum(p.numel() for p in cnn.parameters())
print("exercise 3 passed:", n_flat, n_params)

# %% [markdown]
# ## Exercise 4. Cross-entropy from logits
#
# Write `my_cross_entropy`, the mean cross-entropy of logits `z` (shape `(N, C)`) and targets `y`
# (shape `(N,)`), with the log-sum-exp trick: logits of 1000 must not give `inf`/`nan`. Then put
# in `floor` the loss of a perfect prediction when softmax is applied first.

# %%
# solution
def my_cross_entropy(z, y):
    m = z.max(dim=1, keepdim=True).values
    logsumexp = m.squeeze(1) + torch.log(torch.exp(z - m).sum(dim=1))
    return (logsumexp - z[torch.arange(len(y)), y]).mean()


perfect = torch.tensor([[1000.0, 0.0, 0.0, 0.0]])
floor = F.cross_entropy(F.softmax(perfect, dim=1), torch.tensor([0])).item()

# %%
z = torch.randn(6, 4) * 5
y = torch.randint(0, 4, (6,))
assert torch.allclose(my_cross_entropy(z, y), F.cross_entropy(z, y), atol=1e-6)
assert torch.isfinite(my_cross_entropy(perfect, torch.tensor([0])))
assert abs(floor - (-np.log(np.e / (np.e + 3)))) < 1e-4  # 4-class floor: not 0
print(f"exercise 4 passed: with softmax first, even a perfect prediction costs {floor:.4f}")

# %% [markdown]
# ## Exercise 5. Adam in NumPy
#
# Implement one Adam step in NumPy with PyTorch's formula (keep `m`, `v` and the step `t`
# yourself): $\theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}$.
# It must give the same values as `torch.optim.Adam` and `nnref.scratch.Adam` for 20 steps.

# %%
# solution
def adam_step(theta, g, state, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] += 1
    state["m"] = beta1 * state["m"] + (1 - beta1) * g
    state["v"] = beta2 * state["v"] + (1 - beta2) * g * g
    t = state["t"]
    denom = np.sqrt(state["v"]) / np.sqrt(1 - beta2**t) + eps
    return theta - lr / (1 - beta1**t) * state["m"] / denom


# %%
def grad_f(p):  # f(p) = sum(p^4) / 4 + sum(p^2)
    return p**3 + 2 * p


start = np.array([1.5, -2.0, 0.3])
mine, state = start.copy(), {"t": 0, "m": np.zeros(3), "v": np.zeros(3)}
ref = start.copy()
ref_opt = S.Adam([ref], lr=0.1)
p_t = torch.tensor(start, requires_grad=True)
opt_t = torch.optim.Adam([p_t], lr=0.1)
for _ in range(20):
    mine = adam_step(mine, grad_f(mine), state)
    ref_opt.step([grad_f(ref)])
    opt_t.zero_grad()
    (p_t**4 / 4 + p_t**2).sum().backward()
    opt_t.step()
assert np.allclose(mine, p_t.detach().numpy(), rtol=1e-10, atol=1e-12)
assert np.allclose(ref, p_t.detach().numpy(), rtol=1e-10, atol=1e-12)
print("exercise 5 passed:", mine.round(4))

# %% [markdown]
# ## Exercise 6. The three lines of a training step
#
# Train a 2 → 32 → 32 → 2 MLP on the moons data (two half-moons) with a `zero_grad / backward /
# step` loop to a validation accuracy of at least 0.95. Optimizer and learning rate are up to you.

# %%
X, y = moons(n=600, noise=0.15, seed=0)
(x_tr, y_tr), (x_va, y_va), _ = train_val_test_split(X, y, fractions=(0.7, 0.15, 0.15), seed=0)
x_tr, y_tr, x_va, y_va = map(torch.from_numpy, (x_tr, y_tr, x_va, y_va))

# solution
torch.manual_seed(0)
clf = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.Adam(clf.parameters(), lr=0.01)
for epoch in range(300):
    optimizer.zero_grad()
    loss = F.cross_entropy(clf(x_tr), y_tr)
    loss.backward()
    optimizer.step()

# %%
clf.eval()
with torch.no_grad():
    val_acc = (clf(x_va).argmax(dim=1) == y_va).float().mean().item()
assert val_acc >= 0.95, val_acc
print(f"exercise 6 passed: validation accuracy {val_acc:.3f}")

# %% [markdown]
# ## Exercise 7. BatchNorm and a batch of one
#
# One sample through `nn.BatchNorm1d` in training mode raises an error. Catch it and store its
# text in `message`; then pass the same sample in evaluation mode and store the result in `out`.

# %%
bn = nn.BatchNorm1d(4)
sample = torch.randn(1, 4)

# solution
bn.train()
try:
    bn(sample)
    message = ""
except ValueError as error:
    message = str(error)
bn.eval()
out = bn(sample)

# %%
assert "more than 1 value per channel" in message
assert out.shape == (1, 4)
print("exercise 7 passed")

# %% [markdown]
# ## Exercise 8. Initializing a deep ReLU network
#
# Write `init_layer(layer)` so that in a stack of 30 ReLU layers of width 128 the standard
# deviation of the last activations stays between 0.3 and 3. (Hint: the default initialization
# shrinks it to about $10^{-12}$.)

# %%
# solution
def init_layer(layer):
    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.zeros_(layer.bias)


# %%
def last_std(init=None, depth=30, width=128):
    torch.manual_seed(0)
    h = torch.randn(256, width)
    for _ in range(depth):
        layer = nn.Linear(width, width)
        nn.init.zeros_(layer.bias)  # zero biases to see the effect of the weights alone
        if init is not None:
            init(layer)
        with torch.no_grad():
            h = torch.relu(layer(h))
    return h.std().item()


assert last_std() < 1e-6  # default initialization: vanishes
assert 0.3 < last_std(init_layer) < 3.0
print(f"exercise 8 passed: default {last_std():.1e}, mine {last_std(init_layer):.3f}")
