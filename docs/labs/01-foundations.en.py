# %% [markdown]
# # Lab 1: Foundations
#
# Exercises that let you check the "Foundations" chapter by hand. The cell under each
# exercise holds a solution, and the `assert` cell after it checks the answer. Delete the
# solution, write your own,
# and run the check. Run top to bottom, the whole notebook takes a few seconds.
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
from torch.utils.data import DataLoader, TensorDataset

from nnref.data import moons, train_val_test_split, xor
from nnref.models import MLP, mlp_num_params

_ = torch.manual_seed(0)  # returns the generator: "_ =" keeps Jupyter from printing it

# %% [markdown]
# ## Exercise 1. Compute a linear layer yourself
#
# With the weight $W$ (shape `(3, 4)`) and bias $b$ of `nn.Linear(4, 3)`, compute the output $Y =
# XW^\top + b$ of a
# batch $X$ (shape `(5, 4)`) **without calling `layer`**.

# %%
layer = nn.Linear(4, 3)
X = torch.randn(5, 4)

# solution
Y_mine = X @ layer.weight.T + layer.bias

# %%
assert layer.weight.shape == (3, 4)
assert Y_mine.shape == (5, 3)
assert torch.allclose(Y_mine, layer(X), atol=1e-6)
print("exercise 1 passed")

# %% [markdown]
# ## Exercise 2. Count parameters
#
# Count the parameters of the MLP 784 → 128 → 64 → 10 (no batch norm) with the formula $\sum
# (n_\text{out} n_\text{in} + n_\text{out})$.

# %%
# solution
n_params = (784 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10)

# %%
model = MLP([784, 128, 64, 10])
assert n_params == sum(p.numel() for p in model.parameters()) == mlp_num_params([784, 128, 64, 10])
print("exercise 2 passed:", n_params)

# %% [markdown]
# ## Exercise 3. The sigmoid and its derivative
#
# Implement $\sigma(z) = 1/(1+e^{-z})$ and $\sigma'(z) = \sigma(z)(1-\sigma(z))$ and compare with
# the gradient from torch
# autograd. Check the maximum of $\sigma'$ too.

# %%
# solution
def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)

# %%
z = torch.linspace(-6, 6, 121, dtype=torch.float64, requires_grad=True)
torch.sigmoid(z).sum().backward()
assert torch.allclose(sigmoid(z), torch.sigmoid(z))
assert torch.allclose(sigmoid_prime(z.detach()), z.grad)
assert abs(sigmoid_prime(z.detach()).max().item() - 0.25) < 1e-12
print("exercise 3 passed")

# %% [markdown]
# ## Exercise 4. Two linear layers are one affine map
#
# Merge `Linear(3, 6)` and `Linear(6, 2)`, stacked without an activation, into one $W$ (shape `(2,
# 3)`) and $b$.

# %%
stack = nn.Sequential(nn.Linear(3, 6), nn.Linear(6, 2)).double()

# solution
W = stack[1].weight @ stack[0].weight
b = stack[1].weight @ stack[0].bias + stack[1].bias

# %%
xs = torch.randn(50, 3, dtype=torch.float64)
assert W.shape == (2, 3)
assert torch.allclose(stack(xs), xs @ W.T + b)
print("exercise 4 passed")

# %% [markdown]
# ## Exercise 5. Solve XOR by hand
#
# Set the weights of the ReLU network `MLP([2, 2, 1])` (2 hidden units) yourself so that on the
# four points
# $\{0,1\}^2$ it outputs exactly XOR (0, 1, 1, 0).

# %%
net = MLP([2, 2, 1])
X4 = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

# solution: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), y = h1 - 2 h2
with torch.no_grad():
    net[0].weight.copy_(torch.tensor([[1.0, 1.0], [1.0, 1.0]]))
    net[0].bias.copy_(torch.tensor([0.0, -1.0]))
    net[2].weight.copy_(torch.tensor([[1.0, -2.0]]))
    net[2].bias.zero_()

# %%
with torch.no_grad():
    out = net(X4).squeeze(1)
assert torch.allclose(out, torch.tensor([0.0, 1.0, 1.0, 0.0]))
print("exercise 5 passed:", out.tolist())

# %% [markdown]
# ## Exercise 6. A linear model gets about 75% on XOR at best
#
# On noisy XOR data, draw 10,000 random straight decision boundaries $w^\top x + b > 0$ and find
# the best accuracy.

# %%
Xx, yx = xor(n=200, noise=0.2, seed=1)
rng = np.random.default_rng(0)

# solution
params = rng.standard_normal((10_000, 3))
pred = (Xx @ params[:, :2].T + params[:, 2]) > 0
best = (pred == yx[:, None]).mean(axis=0).max()

# %%
assert best <= 0.78  # with noise, a few points may push it slightly above 75%
print(f"exercise 6 passed: best line accuracy {best:.3f}")

# %% [markdown]
# ## Exercise 7. Counting iterations
#
# With $N = 1000$ training samples and batch size $B = 64$, find (a) the iterations per epoch, (b)
# the size of the last
# batch, (c) the iterations with `drop_last=True`, (d) the total iterations over 15 epochs
# (`drop_last=False`).

# %%
N, B = 1000, 64

# solution
iters = math.ceil(N / B)
last = N - B * (iters - 1)
iters_drop = N // B
total = 15 * iters

# %%
ds = TensorDataset(torch.zeros(N, 1))
sizes = [len(b[0]) for b in DataLoader(ds, batch_size=B)]
assert (iters, last) == (len(sizes), sizes[-1]) == (16, 40)
assert iters_drop == len(DataLoader(ds, batch_size=B, drop_last=True)) == 15
assert total == 240
print("exercise 7 passed")

# %% [markdown]
# ## Exercise 8. Write the training loop
#
# Split the moons data into training and validation sets and train `MLP([2, 16, 2])` to a
# **validation accuracy of at
# least 0.95**. Write the four steps forward → loss → backward → update yourself.

# %%
X, y = moons(n=300, noise=0.1, seed=0)
(X_tr, y_tr), (X_va, y_va), _ = train_val_test_split(X, y, seed=0, stratify=True)
X_tr, y_tr = torch.from_numpy(X_tr), torch.from_numpy(y_tr)
X_va, y_va = torch.from_numpy(X_va), torch.from_numpy(y_va)

torch.manual_seed(0)
clf = MLP([2, 16, 2])
opt = torch.optim.Adam(clf.parameters(), lr=0.05)

# solution
for _ in range(300):
    loss = nn.functional.cross_entropy(clf(X_tr), y_tr)  # forward + loss
    opt.zero_grad()
    loss.backward()                                      # backward
    opt.step()                                           # update

# %%
with torch.no_grad():
    val_acc = (clf(X_va).argmax(1) == y_va).float().mean().item()
assert val_acc >= 0.95, val_acc
print(f"exercise 8 passed: validation accuracy {val_acc:.3f}")
