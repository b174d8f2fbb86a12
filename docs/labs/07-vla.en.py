# %% [markdown]
# # Lab 7: Vision-Language-Action models
#
# Exercises on the "Vision-Language-Action models" chapter. Each problem is followed by a cell with a
# solution, then by a cell whose `assert`s check it. Delete the solution, write your own, and run the check.
# Run top to bottom, the notebook finishes in seconds on a CPU; most of that time goes to problem 5,
# which trains three models.
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
from torch import nn
from torch.utils.data import DataLoader

from nnref.data import VLATokenizer, VLATorchDataset, make_dummy_vla_data, make_vla_data, success_rate
from nnref.data.vla import target_action
from nnref.models import ActionDecoder, LanguageOnlyVLA, SimpleVLA, VisionOnlyVLA

torch.manual_seed(0)
tok = VLATokenizer()

# %% [markdown]
# ## Problem 1. Tokenizing and padding instructions
#
# Write `pad_batch(texts)`, using only `tok.encode`, that returns an `(N, T)` integer array (right-padded
# with 0) and the lengths `(N,)`. `T` is the number of words of the longest instruction.

# %%
# solution
def pad_batch(texts):
    encoded = [tok.encode(t) for t in texts]
    lengths = np.array([len(e) for e in encoded])
    tokens = np.zeros((len(texts), lengths.max()), dtype=np.int64)
    for i, e in enumerate(encoded):
        tokens[i, : len(e)] = e
    return tokens, lengths


# %%
texts = ["빨간 블록을 집어", "push the blue block away", "노란 블록으로 가"]
tokens, lengths = pad_batch(texts)
ref_tokens, ref_lengths = tok.encode_batch(texts)
assert np.array_equal(tokens, ref_tokens) and np.array_equal(lengths, ref_lengths)
assert [tok.decode(row) for row in tokens] == texts
print("problem 1 passed:", tokens.tolist())

# %% [markdown]
# ## Problem 2. The target action
#
# Build the 7-DOF action by hand from the block centre `(x, y)` and the verb. $z$: pick -0.5, push -0.8,
# move 0.5; pitch: push 0.5, else 0; yaw $= \operatorname{atan2}(x, 1.5 - y) / (\pi/2)$; gripper: pick +1,
# else -1; roll 0.

# %%
# solution
def my_action(verb, x, y):
    z = {"pick": -0.5, "push": -0.8, "move": 0.5}[verb]
    pitch = 0.5 if verb == "push" else 0.0
    gripper = 1.0 if verb == "pick" else -1.0
    return np.array([x, y, z, 0.0, pitch, np.arctan2(x, 1.5 - y) / (np.pi / 2), gripper])


# %%
data = make_vla_data(50, seed=7)
for i in range(50):
    x, y = data.block_centers[i, 0]
    assert np.allclose(my_action(data.verbs[i], x, y), data.actions[i], atol=1e-6)
print("problem 2 passed")

# %% [markdown]
# ## Problem 3. An action decoder with a fixed scale
#
# Build a decoder with `ActionDecoder(..., learn_scale=False)` and check that after 200 steps towards a
# target of 1.5 its output still cannot exceed 1. Compare with a learnable scale (`learn_scale=True`).

# %%
# solution
def fit_constant(learn_scale, target=1.5, steps=200):
    torch.manual_seed(0)
    dec = ActionDecoder(4, action_dim=7, hidden_sizes=(16,), learn_scale=learn_scale)
    z = torch.randn(8, 4)
    opt = torch.optim.Adam(dec.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(dec(z), torch.full((8, 7), target)).backward()
        opt.step()
    return dec(z).detach().abs().max().item()


# %%
fixed, learned = fit_constant(False), fit_constant(True)
assert fixed <= 1.0 < learned and abs(learned - 1.5) < 0.01
print(f"problem 3 passed: fixed scale max {fixed:.3f}, learned scale max {learned:.3f}")

# %% [markdown]
# ## Problem 4. The loss floor of dummy data
#
# The actions of `make_dummy_vla_data` are standard normal and independent of the inputs. Compute the
# validation MSE of the constant predictor (always the mean of the training actions) and check that it
# equals the theoretical floor 1 within sampling noise.

# %%
# solution
train_d = make_dummy_vla_data(2000, seed=0, image_size=4)
val_d = make_dummy_vla_data(2000, seed=1, image_size=4)
constant_mse = ((val_d.actions - train_d.actions.mean(axis=0)) ** 2).mean()

# %%
noise = np.sqrt(2 / val_d.actions.size)
assert abs(constant_mse - 1) < 3 * noise
print(f"problem 4 passed: constant predictor MSE {constant_mse:.3f} (floor 1, noise {noise:.3f})")

# %% [markdown]
# ## Problem 5. A VLA and two baselines
#
# Train `SimpleVLA`, `VisionOnlyVLA` and `LanguageOnlyVLA` on the same data with the same learning rate and
# number of epochs, and compare validation success rates. `SimpleVLA` must beat both baselines by more
# than 0.5.

# %%
# solution
train_loader = DataLoader(VLATorchDataset(make_vla_data(800, seed=0)), batch_size=32, shuffle=True,
                          generator=torch.Generator().manual_seed(0))
val = VLATorchDataset(make_vla_data(300, seed=1))
config = dict(feature_dim=32, vision_channels=(16, 16, 16), embed_dim=8, hidden_size=16, decoder_hidden=(64,))


def train_and_score(cls, epochs=5):
    torch.manual_seed(0)
    model = cls(tok.vocab_size, **config)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(epochs):
        for (images, tokens, lengths), actions in train_loader:
            opt.zero_grad()
            nn.functional.mse_loss(model(images, tokens, lengths), actions).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return success_rate(model(val.images, val.tokens, val.lengths), val.actions)


rates = {cls.__name__: train_and_score(cls) for cls in (SimpleVLA, VisionOnlyVLA, LanguageOnlyVLA)}

# %%
assert rates["SimpleVLA"] > max(rates["VisionOnlyVLA"], rates["LanguageOnlyVLA"]) + 0.5, rates
print("problem 5 passed:", {k: round(v, 3) for k, v in rates.items()})

# %% [markdown]
# ## Problem 6. Action tokens (as in RT-1, RT-2, OpenVLA)
#
# Write `to_tokens`, which cuts $[-1, 1]$ into 256 bins and turns actions into integer tokens, and
# `from_tokens`, which maps tokens back to bin centres. The round trip must be off by at most $1/256$.

# %%
# solution
def to_tokens(a, bins=256):
    return np.minimum(((np.clip(a, -1, 1) + 1) / 2 * bins).astype(np.int64), bins - 1)


def from_tokens(t, bins=256):
    return -1 + (t + 0.5) * 2 / bins


# %%
acts = make_vla_data(500, seed=3).actions
t = to_tokens(acts)
assert t.min() >= 0 and t.max() <= 255 and t.dtype == np.int64
assert np.abs(from_tokens(t) - acts).max() <= 1 / 256
assert to_tokens(np.array([-1.0, 1.0])).tolist() == [0, 255]
print("problem 6 passed: max round-trip error", round(float(np.abs(from_tokens(t) - acts).max()), 5))

# %% [markdown]
# ## Problem 7. Going further (open questions)
#
# - Put several blocks in each scene with `make_vla_data(n_blocks=2)` and run problem 5 again. What happens
#   to the success rate of the concatenation model when the instruction has to select a block? Connect the
#   answer to the attention section of the "where to go next" page.
# - What happens when you train `SimpleVLA(..., coords=False)`, without the coordinate channels?
