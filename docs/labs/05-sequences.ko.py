# %% [markdown]
# # 실습 5: 시퀀스 모델
#
# "시퀀스 모델" 장의 내용을 직접 구현하고 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
# 그 다음 `assert` 셀이 답을 검사합니다. 풀이를 지우고 직접 써 본 뒤 검사 셀을 실행해 보세요.
# 위에서 아래로 한 번에 실행하면 몇 초 안에 끝납니다.
#
# 저장소 밖에서 실행한다면 먼저 `nnref`를 (CPU용 PyTorch와 함께) 설치하세요.
#
# ```bash
# pip install "nnref[examples] @ git+https://github.com/nnref/nnref" --extra-index-url https://download.pytorch.org/whl/cpu
# ```
#
# 주피터에서는 셀에서 `pip` 대신 `%pip`로 같은 줄을 실행하면 됩니다.

# %%
import numpy as np
import torch
from torch import nn

from nnref.scratch import rnn_backward, rnn_forward

torch.manual_seed(0)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 문제 1. 배치용 RNN 셀
#
# 원본 노트는 RNN을 $h^i = \tau_1(W h^{i-1} + U a^i)$로 씁니다. $\tau_1$은 활성화 함수이고, 시점마다 열벡터 하나에 맞춘 식입니다.
# 배치 `x`(모양 `(B, I)`)와 `h`(모양 `(B, H)`)를 받아 PyTorch의 기본 식 $\tanh(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh})$
# ($\tau_1$ 자리에 tanh, 그리고 편향)을 계산하는 `my_rnn_cell`을 쓰세요.

# %%
# 풀이
def my_rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    return np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)


# %%
cell = nn.RNNCell(3, 5).double()
x, h = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 5, dtype=torch.float64)
params = [p.detach().numpy() for p in cell.parameters()]
np.testing.assert_allclose(my_rnn_cell(x.numpy(), h.numpy(), *params),
                           cell(x, h).detach().numpy(), rtol=1e-12, atol=1e-12)
print("문제 1 통과")

# %% [markdown]
# ## 문제 2. LSTM 셀
#
# PyTorch의 게이트 순서 **i, f, g, o**로 `my_lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh)`를 쓰세요. `(h_next, c_next)`를 돌려줍니다.
# $c' = f \odot c + i \odot g$, $h' = o \odot \tanh(c')$이고 i, f, o에는 시그모이드, g에는 tanh를 씁니다.

# %%
# 풀이
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
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. 시퀀스 전체 펼치기
#
# `my_lstm_cell`을 시점마다 불러 `batch_first` 입력 `x`(모양 `(B, T, I)`)를 처리하는 `my_lstm`을 쓰세요.
# 초기 상태는 0이고, `nn.LSTM`처럼 `output (B, T, H)`와 `(h_n, c_n)`(각각 `(1, B, H)`)을 돌려줍니다.
# 가중치는 `nn.LSTM`의 `state_dict`를 NumPy로 바꾼 `sd`에서 꺼냅니다(`weight_ih_l0`, ...).

# %%
# 풀이
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
print("문제 3 통과")

# %% [markdown]
# ## 문제 4. 양방향 LSTM의 "마지막" 특성
#
# 양방향 LSTM의 `output`(모양 `(B, T, 2H)`)에서 정방향의 마지막 상태와 역방향의 마지막 상태를 이어 붙인 `(B, 2H)` 텐서를
# 돌려주는 `last_features(output, H)`를 쓰세요. 역방향은 $t = 0$에서 끝난다는 점에 주의하세요.

# %%
# 풀이
def last_features(output, H):
    return torch.cat([output[:, -1, :H], output[:, 0, H:]], dim=1)


# %%
bi = nn.LSTM(4, 8, bidirectional=True, batch_first=True)
out, (h_n, _) = bi(torch.randn(3, 10, 4))
assert torch.equal(last_features(out, 8), torch.cat([h_n[0], h_n[1]], dim=1))
print("문제 4 통과")

# %% [markdown]
# ## 문제 5. 파라미터 수 공식
#
# 게이트 묶음 수 `G`(RNN 1, GRU 3, LSTM 4), 입력 크기 `I`, 은닉 크기 `H`, 층 수, 방향 수 `D`로
# 순환 층의 파라미터 수를 돌려주는 `count(G, I, H, num_layers, D)`를 쓰세요. 두 번째 층부터 입력 크기는 `D * H`입니다.

# %%
# 풀이
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
print("문제 5 통과")

# %% [markdown]
# ## 문제 6. 기울기가 100분의 1로 줄어드는 거리
#
# `nnref.scratch.rnn_forward` / `rnn_backward`로 $W_{hh} = s Q$($Q$ 직교)인 RNN의 $\lVert \partial L/\partial h_t \rVert$를 재고,
# 마지막 시점의 노름보다 **처음으로 100배보다 더 작아지는 거리** $T-1-t$를 돌려주는 `distance_to_shrink(s)`를 쓰세요(없으면 `None`).

# %%
# 풀이
T, B, I, H = 40, 8, 3, 16
x = 0.5 * rng.standard_normal((T, B, I))
Q, _ = np.linalg.qr(rng.standard_normal((H, H)))
w_ih = rng.standard_normal((H, I)) / np.sqrt(I)


def distance_to_shrink(s, factor=100.0):
    output, cache = rnn_forward(x, np.zeros((B, H)), w_ih, s * Q)
    grad_output = np.zeros_like(output)
    grad_output[-1] = 1.0
    norms = rnn_backward(grad_output, cache)["grad_h_norms"][::-1]  # [거리 0, 1, ...]
    small = np.nonzero(norms < norms[0] / factor)[0]
    return int(small[0]) if len(small) else None


# %%
d_small, d_mid = distance_to_shrink(0.5), distance_to_shrink(1.0)
print("s=0.5:", d_small, " s=1.0:", d_mid, " s=3.0:", distance_to_shrink(3.0))
assert d_small is not None and d_mid is not None and d_small < d_mid
assert distance_to_shrink(3.0) is None  # 폭주: 줄어들지 않는다
print("문제 6 통과")

# %% [markdown]
# ## 문제 7. 배치 크기와 무관한 분류기
#
# 원본 노트의 `LSTM1`은 `h_0 = torch.zeros(1*1, 32, 64)`로 배치 크기를 고정했습니다. 입력 `(B, 30, 4)`를 받아 로짓 `(B, 1)`을
# 돌려주되 **어떤 배치 크기에서도** 동작하는 `FixedLSTM1`을 쓰세요.

# %%
# 풀이
class FixedLSTM1(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=64, batch_first=True)
        self.fc = nn.Linear(64, 1)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)  # 초기 상태를 넘기지 않으면 알맞은 모양의 0
        return self.fc(h_n[-1])


# %%
model = FixedLSTM1()
for batch in (1, 7, 32):
    assert model(torch.randn(batch, 30, 4)).shape == (batch, 1)
print("문제 7 통과")
