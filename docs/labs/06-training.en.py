# %% [markdown]
# # Lab 6: The training workflow
#
# Exercises that implement and check the ideas of the chapter "The training workflow". Each exercise
# has a solution in the cell below it, followed by an `assert` cell that checks the answer. Delete the
# solution, write your own, and run the check. Run top to bottom, the notebook takes a few seconds.
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

from nnref.data.digits import digits_split
from nnref.train import accuracy, evaluate

torch.manual_seed(0)
(x_train, y_train), (x_val, y_val), (x_test, y_test) = digits_split(seed=0)

# %% [markdown]
# ## Exercise 1. Per-channel mean and standard deviation
#
# Write `channel_stats`, which returns the mean and standard deviation of each channel of an
# `(N, C, H, W)` array (each of shape `(C,)`), and `normalize(x, mean, std)`, which standardizes with
# them. The statistics come from the training set only.

# %%
# solution
def channel_stats(x):
    return x.mean(axis=(0, 2, 3)), x.std(axis=(0, 2, 3))


def normalize(x, mean, std):
    return (x - mean[None, :, None, None]) / std[None, :, None, None]


# %%
rgb = np.random.default_rng(0).random((20, 3, 4, 4)) * np.array([1.0, 2.0, 3.0])[None, :, None, None]
m, s = channel_stats(rgb)
assert m.shape == (3,) and s.shape == (3,)
z = normalize(rgb, m, s)
assert np.allclose(z.mean(axis=(0, 2, 3)), 0, atol=1e-12) and np.allclose(z.std(axis=(0, 2, 3)), 1)
mean, std = channel_stats(x_train)
z_train, z_val, z_test = (normalize(x, mean, std) for x in (x_train, x_val, x_test))
assert abs(z_train.mean()) < 1e-5 and abs(z_val.mean()) > 1e-3  # the validation set is not exactly 0
print("exercise 1 passed: mean", mean.round(4), "std", std.round(4))

# %% [markdown]
# ## Exercise 2. Iterations per epoch
#
# Write `iterations`, the number of iterations in one epoch of `n` samples with batch size
# `batch_size`. With `drop_last=True` an incomplete last batch is dropped.

# %%
# solution
def iterations(n, batch_size, drop_last=False):
    return n // batch_size if drop_last else math.ceil(n / batch_size)


# %%
train_set = TensorDataset(torch.from_numpy(z_train.astype(np.float32)), torch.from_numpy(y_train))
val_set = TensorDataset(torch.from_numpy(z_val.astype(np.float32)), torch.from_numpy(y_val))
for b in (1, 7, 32, 100, 1078, 2000):
    for drop in (False, True):
        assert iterations(len(train_set), b, drop) == len(DataLoader(train_set, batch_size=b, drop_last=drop))
assert iterations(50000, 4) == 12500  # seed 003's CIFAR-10 setup
print("exercise 2 passed")

# %% [markdown]
# ## Exercise 3. The validation loop
#
# Write `validate(model, loader, loss_fn)` returning (mean loss per sample, accuracy). Use evaluation
# mode and `torch.no_grad()`, and weight by batch size so that a smaller last batch still gives the
# per-sample mean.

# %%
# solution
def validate(model, loader, loss_fn):
    model.eval()
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            total += loss_fn(out, yb).item() * len(yb)
            correct += (out.argmax(dim=1) == yb).sum().item()
            count += len(yb)
    return total / count, correct / count


# %%
class Spy(nn.Module):
    """A model that remembers its mode and whether gradients were recorded."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))
        self.seen = set()

    def forward(self, x):
        self.seen.add((self.training, torch.is_grad_enabled()))
        return self.net(x)


spy, loss_fn = Spy(), nn.CrossEntropyLoss()
val_loader = DataLoader(val_set, batch_size=32)  # 362 = 11 * 32 + 10
got = validate(spy, val_loader, loss_fn)
want = evaluate(spy, val_loader, loss_fn, metric=accuracy)
assert spy.seen == {(False, False)}, spy.seen
assert math.isclose(got[0], want[0], rel_tol=1e-6) and math.isclose(got[1], want[1], rel_tol=1e-6)
print("exercise 3 passed")

# %% [markdown]
# ## Exercise 4. The training loop
#
# Write `train(model, loader, epochs)` that trains the 64-64-10 MLP with Adam (learning rate 0.001),
# and reach a validation accuracy of at least 0.95 within 15 epochs.

# %%
# solution
def train(model, loader, epochs, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
    return model


torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
train_loader = DataLoader(train_set, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0))
model = train(model, train_loader, epochs=15)

# %%
val_loss, val_acc = validate(model, val_loader, loss_fn)
assert val_acc >= 0.95, val_acc
print(f"exercise 4 passed: val loss {val_loss:.4f}, val accuracy {val_acc:.3f}")

# %% [markdown]
# ## Exercise 5. Inference on one new input
#
# Write `predict(model, image)` that takes one un-normalized image (`(1, 8, 8)`, 0..1) and returns
# (predicted class, probability vector `(10,)`). Remember the same pre-processing as in training, the
# batch dimension, evaluation mode, `no_grad` and the softmax.

# %%
# solution
def predict(model, image):
    x = torch.from_numpy(normalize(image[None], mean, std).astype(np.float32))  # (1, 1, 8, 8)
    model.eval()
    with torch.no_grad():
        probs = torch.softmax(model(x), dim=1)[0]
    return int(probs.argmax()), probs


# %%
label, probs = predict(model, x_test[0])
assert probs.shape == (10,) and math.isclose(probs.sum().item(), 1.0, rel_tol=1e-6)
with torch.no_grad():
    batch_pred = model(torch.from_numpy(z_test.astype(np.float32))).argmax(dim=1)
assert all(predict(model, x_test[i])[0] == batch_pred[i].item() for i in range(20))
test_acc = (batch_pred.numpy() == y_test).mean()
assert test_acc >= 0.93, test_acc
print(f"exercise 5 passed: first test image -> {label} (p = {probs[label]:.3f}), test accuracy {test_acc:.3f}")
