# %% [markdown]
# # Lab 4: Convolutional networks
#
# Exercises that implement and check the ideas of the "Convolutional networks" chapter yourself. Under
# each problem a cell holds a solution, and the next cell checks it with `assert`. Delete the solution,
# write your own, then run the check. Run top to bottom, the whole notebook takes a few seconds.
#
# Running it outside the repository? Install `nnref` first (with the CPU build of PyTorch):
#
# ```bash
# pip install "nnref[examples] @ git+https://github.com/nnref/nnref" --extra-index-url https://download.pytorch.org/whl/cpu
# ```
#
# In Jupyter, run the same line in a cell with `%pip` in place of `pip`.

# %%
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nnref.data import digits_split
from nnref.models import CifarCNN, count_parameters
from nnref.scratch import conv_output_size

torch.manual_seed(0)
rng = np.random.default_rng(0)

# %% [markdown]
# ## Problem 1. The output-size formula
#
# Write `out_size`, returning the output size $\lfloor (H + 2P - K)/S \rfloor + 1$ of a convolution with
# input size `size`, kernel size `k`, stride `s` and padding `p`. Raise `ValueError` when the kernel does not fit.

# %%
# solution
def out_size(size, k, s=1, p=0):
    if size + 2 * p < k:
        raise ValueError(f"kernel {k} does not fit in {size} with padding {p}")
    return (size + 2 * p - k) // s + 1


# %%
for size, k, s, p in [(32, 5, 1, 0), (224, 7, 2, 3), (224, 7, 2, 0), (13, 3, 2, 0), (8, 3, 2, 0)]:
    assert out_size(size, k, s, p) == conv_output_size(size, k, s, p)
    conv = nn.Conv2d(1, 1, k, stride=s, padding=p)
    assert conv(torch.zeros(1, 1, size, size)).shape[-1] == out_size(size, k, s, p)
try:
    out_size(4, 5)
    raise AssertionError("expected a ValueError")
except ValueError:
    pass
print("problem 1 passed")

# %% [markdown]
# ## Problem 2. Convolution with loops
#
# Write `conv2d_single` with loops: the convolution (cross-correlation) of a one-channel 2-D array `x`
# (shape `(H, W)`) with a kernel `w` (shape `(K, K)`), with stride `stride` and padding `padding`.

# %%
# solution
def conv2d_single(x, w, stride=1, padding=0):
    x = np.pad(x, padding)
    K = w.shape[0]
    OH = (x.shape[0] - K) // stride + 1
    OW = (x.shape[1] - K) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[i, j] = np.sum(x[i * stride:i * stride + K, j * stride:j * stride + K] * w)
    return out


# %%
x = rng.standard_normal((9, 7))
w = rng.standard_normal((3, 3))
for stride, padding in [(1, 0), (2, 1), (3, 2)]:
    ref = F.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None], stride=stride, padding=padding)
    np.testing.assert_allclose(conv2d_single(x, w, stride, padding), ref[0, 0].numpy(), atol=1e-12)
print("problem 2 passed")

# %% [markdown]
# ## Problem 3. 2x2 max pooling with reshape
#
# Compute $2\times2$ max pooling (stride 2) of an `(N, C, H, W)` array with even height and width,
# without loops, using `reshape` and `max`. Hint: `(N, C, H/2, 2, W/2, 2)`.

# %%
# solution
def max_pool_2x2(x):
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))


# %%
x = rng.standard_normal((2, 3, 6, 8))
np.testing.assert_array_equal(max_pool_2x2(x), F.max_pool2d(torch.tensor(x), 2).numpy())
print("problem 3 passed")

# %% [markdown]
# ## Problem 4. Counting parameters
#
# Compute by formula the parameter count of seed 003's CIFAR-10 model (convolutions 3→6→16, $5\times5$;
# fully connected 400→120→84→10) and store it in `n_params`. Store the parameter count of max pooling in `pool_params`.

# %%
# solution
n_params = (6 * (3 * 25 + 1) + 16 * (6 * 25 + 1)
            + 120 * (400 + 1) + 84 * (120 + 1) + 10 * (84 + 1))
pool_params = 0

# %%
assert n_params == count_parameters(CifarCNN())
assert pool_params == count_parameters(nn.MaxPool2d(2))
print("problem 4 passed:", n_params)

# %% [markdown]
# ## Problem 5. A digits CNN with global average pooling
#
# Train a small CNN on the $8\times8$ digit images that ship with the package. After the last
# convolution use global average pooling (`nn.AdaptiveAvgPool2d(1)`) instead of flattening, and aim
# for a **validation** accuracy of at least 0.9. Tune on the validation set only; the check cell then
# measures the test set once, for the model you chose.

# %%
(x_train, y_train), (x_val, y_val), (x_test, y_test) = digits_split(seed=0)
x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
x_val, y_val = torch.from_numpy(x_val), torch.from_numpy(y_val)

# solution
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10),
)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
n_threads = torch.get_num_threads()
torch.set_num_threads(1)
generator = torch.Generator().manual_seed(0)
for epoch in range(15):
    for idx in torch.randperm(len(x_train), generator=generator).split(64):
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
torch.set_num_threads(n_threads)
model.eval()
with torch.no_grad():
    val_acc = (model(x_val).argmax(dim=1) == y_val).float().mean().item()

# %%
assert any(isinstance(m, nn.AdaptiveAvgPool2d) for m in model.modules())
assert model(torch.zeros(2, 1, 8, 8)).shape == (2, 10)
assert val_acc >= 0.9, val_acc
with torch.no_grad():  # the test set, once, for the model you chose
    test_pred = model(torch.as_tensor(x_test)).argmax(dim=1)
test_acc = (test_pred == torch.as_tensor(y_test)).float().mean().item()
print(f"problem 5 passed: validation accuracy {val_acc:.3f}, test accuracy {test_acc:.3f}")
