# %% [markdown]
# # Lab 5: Sequence models
#
# Exercises that implement and check the ideas of the "Sequence models" chapter. Each problem's cell
# holds a solution, and the `assert` cell after it checks the answer. Delete the solution, write your
# own, and run the check. Run top to bottom, the notebook finishes in a few seconds.
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

from nnref.scratch import rnn_backward, rnn_forward

torch.manual_seed(0)
rng = np.random.default_rng(0)

# %% [markdown]
# ## Problem 1. An RNN cell for batches
#
# The source notes write the RNN as $h^i = \tau_1(W h^{i-1} + U a^i)$, with $\tau_1$ an activation
# function and a single column vector per step. Write `my_rnn_cell`, which takes a batch `x` (shape
# `(B, I)`) and `h` (shape `(B, H)`) and computes PyTorch's default
# $\tanh(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh})$ (tanh in place of $\tau_1$, plus biases).

# %%
# solution
def my_rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    return np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)


# %%
cell = nn.RNNCell(3, 5).double()
x, h = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 5, dtype=torch.float64)
params = [p.detach().numpy() for p in cell.parameters()]
np.testing.assert_allclose(my_rnn_cell(x.numpy(), h.numpy(), *params),
                           cell(x, h).detach().numpy(), rtol=1e-12, atol=1e-12)
print("problem 1 passed")

# %% [markdown]
# ## Problem 2. An LSTM cell
#
# Write `my_lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh)` with PyTorch's gate order **i, f, g, o**,
# returning `(h_next, c_next)`: $c' = f \odot c + i \odot g$, $h' = o \odot \tanh(c')$, with a
# sigmoid on i, f, o and tanh on g.

# %%
# solution
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def my_lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = np.split(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=1)
    c_next = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_next), c_next


# %%
cell = nn.LSTMCell(3, 5).double()
x = torch.randn(4, 3, dtype=torch.float64)
h, c = torch.randn(4, 5, dtype=torch.float64), torch.randn(4, 5, dtype=torch.float64)
params = [p.detach().numpy() for p in cell.parameters()]
h1, c1 = my_lstm_cell(x.numpy(), h.numpy(), c.numpy(), *params)
want_h, want_c = cell(x, (h, c))
np.testing.assert_allclose(h1, want_h.detach().numpy(), rtol=1e-12, atol=1e-12)
np.testing.assert_allclose(c1, want_c.detach().numpy(), rtol=1e-12, atol=1e-12)
print("problem 2 passed")

# %% [markdown]
# ## Problem 3. Unrolling a whole sequence
#
# Write `my_lstm`, which calls `my_lstm_cell` at every step over a `batch_first` input `x` (shape
# `(B, T, I)`). The initial state is zero; like `nn.LSTM` it returns `output (B, T, H)` and
# `(h_n, c_n)` (each `(1, B, H)`). The weights come from `sd`, an `nn.LSTM` `state_dict` converted to
# NumPy (`weight_ih_l0`, ...).

# %%
# solution
def my_lstm(x, sd):
    B, T, _ = x.shape
    H = sd["weight_hh_l0"].shape[1]
    h, c = np.zeros((B, H)), np.zeros((B, H))
    params = [sd[k] for k in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")]
    outputs = []
    for t in range(T):
        h, c = my_lstm_cell(x[:, t], h, c, *params)
        outputs.append(h)
    return np.stack(outputs, axis=1), (h[None], c[None])


# %%
module = nn.LSTM(3, 6, batch_first=True).double()
sd = {k: v.detach().numpy() for k, v in module.state_dict().items()}
x = torch.randn(2, 7, 3, dtype=torch.float64)
want_out, (want_h, want_c) = module(x)
out, (h_n, c_n) = my_lstm(x.numpy(), sd)
for got, want in [(out, want_out), (h_n, want_h), (c_n, want_c)]:
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-12)
print("problem 3 passed")

# %% [markdown]
# ## Problem 4. The "last" features of a bidirectional LSTM
#
# Write `last_features(output, H)`, which takes a bidirectional LSTM's `output` (shape `(B, T, 2H)`)
# and returns the `(B, 2H)` concatenation of the forward direction's last state and the backward
# direction's last state. Remember that the backward direction ends at $t = 0$.

# %%
# solution
def last_features(output, H):
    return torch.cat([output[:, -1, :H], output[:, 0, H:]], dim=1)


# %%
bi = nn.LSTM(4, 8, bidirectional=True, batch_first=True)
out, (h_n, _) = bi(torch.randn(3, 10, 4))
assert torch.equal(last_features(out, 8), torch.cat([h_n[0], h_n[1]], dim=1))
print("problem 4 passed")

# %% [markdown]
# ## Problem 5. The parameter-count formula
#
# Write `count(G, I, H, num_layers, D)`, the number of parameters of a recurrent layer with `G` gate
# blocks (RNN 1, GRU 3, LSTM 4), input size `I`, hidden size `H`, the number of layers and `D`
# directions. From the second layer on, the input size is `D * H`.

# %%
# solution
def count(G, I, H, num_layers=1, D=1):
    total = 0
    for layer in range(num_layers):
        inp = I if layer == 0 else D * H
        total += D * G * (H * inp + H * H + 2 * H)
    return total


# %%
for cls, G in [(nn.RNN, 1), (nn.GRU, 3), (nn.LSTM, 4)]:
    for num_layers, bidirectional in [(1, False), (2, False), (3, True)]:
        m = cls(7, 5, num_layers=num_layers, bidirectional=bidirectional)
        D = 2 if bidirectional else 1
        assert count(G, 7, 5, num_layers, D) == sum(p.numel() for p in m.parameters())
print("problem 5 passed")

# %% [markdown]
# ## Problem 6. The distance at which the gradient shrinks 100-fold
#
# With `nnref.scratch.rnn_forward` / `rnn_backward`, measure $\lVert \partial L/\partial h_t \rVert$ for an
# RNN with $W_{hh} = s Q$ ($Q$ orthogonal), and write `distance_to_shrink(s)`, which returns **the first
# distance** $T-1-t$ at which the norm is more than 100 times smaller than at the last step (`None` if never).

# %%
# solution
T, B, I, H = 40, 8, 3, 16
x = 0.5 * rng.standard_normal((T, B, I))
Q, _ = np.linalg.qr(rng.standard_normal((H, H)))
w_ih = rng.standard_normal((H, I)) / np.sqrt(I)


def distance_to_shrink(s, factor=100.0):
    output, cache = rnn_forward(x, np.zeros((B, H)), w_ih, s * Q)
    grad_output = np.zeros_like(output)
    grad_output[-1] = 1.0
    norms = rnn_backward(grad_output, cache)["grad_h_norms"][::-1]  # [distance 0, 1, ...]
    small = np.nonzero(norms < norms[0] / factor)[0]
    return int(small[0]) if len(small) else None


# %%
d_small, d_mid = distance_to_shrink(0.5), distance_to_shrink(1.0)
print("s=0.5:", d_small, " s=1.0:", d_mid, " s=3.0:", distance_to_shrink(3.0))
assert d_small is not None and d_mid is not None and d_small < d_mid
assert distance_to_shrink(3.0) is None  # exploding: it never shrinks
print("problem 6 passed")

# %% [markdown]
# ## Problem 7. A classifier for any batch size
#
# The source notes' `LSTM1` fixed the batch size with `h_0 = torch.zeros(1*1, 32, 64)`. Write
# `FixedLSTM1`, which takes input `(B, 30, 4)` and returns logits `(B, 1)` for **any** batch size.

# %%
# solution
class FixedLSTM1(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=64, batch_first=True)
        self.fc = nn.Linear(64, 1)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)  # no initial state: zeros of the right shape
        return self.fc(h_n[-1])


# %%
model = FixedLSTM1()
for batch in (1, 7, 32):
    assert model(torch.randn(batch, 30, 4)).shape == (batch, 1)
print("problem 7 passed")
