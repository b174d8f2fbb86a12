# %% [markdown]
# # 실습 1: 기초
#
# "기초" 장의 내용을 직접 손으로 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
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
import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from nnref.data import moons, train_val_test_split, xor
from nnref.models import MLP, mlp_num_params

_ = torch.manual_seed(0)  # 생성기를 돌려주므로 "_ ="로 받아 Jupyter가 출력하지 않게 합니다

# %% [markdown]
# ## 문제 1. 선형 층을 직접 계산하기
#
# `nn.Linear(4, 3)`의 가중치 $W$(모양 `(3, 4)`)와 편향 $b$로 배치 입력
# $X$(모양 `(5, 4)`)의 출력 $Y = XW^\top + b$를
# **`layer`를 호출하지 않고** 계산하세요.

# %%
layer = nn.Linear(4, 3)
X = torch.randn(5, 4)

# 풀이
Y_mine = X @ layer.weight.T + layer.bias

# %%
assert layer.weight.shape == (3, 4)
assert Y_mine.shape == (5, 3)
assert torch.allclose(Y_mine, layer(X), atol=1e-6)
print("문제 1 통과")

# %% [markdown]
# ## 문제 2. 파라미터 세기
#
# MLP 784 → 128 → 64 → 10 (배치 정규화 없음)의 파라미터 개수를 식 $\sum (n_\text{out} n_\text{in} +
# n_\text{out})$으로 계산하세요.

# %%
# 풀이
n_params = (784 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10)

# %%
model = MLP([784, 128, 64, 10])
assert n_params == sum(p.numel() for p in model.parameters()) == mlp_num_params([784, 128, 64, 10])
print("문제 2 통과:", n_params)

# %% [markdown]
# ## 문제 3. 시그모이드와 그 도함수
#
# $\sigma(z) = 1/(1+e^{-z})$와 $\sigma'(z) =
# \sigma(z)(1-\sigma(z))$를 구현하고, torch autograd의 기울기와
# 비교하세요.
# $\sigma'$의 최댓값도 확인하세요.

# %%
# 풀이
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
print("문제 3 통과")

# %% [markdown]
# ## 문제 4. 선형 층 두 개는 아핀 변환 하나
#
# 활성화 함수 없이 쌓은 `Linear(3, 6)`과 `Linear(6, 2)`를 하나의 $W$(모양
# `(2, 3)`)와 $b$로 합치세요.

# %%
stack = nn.Sequential(nn.Linear(3, 6), nn.Linear(6, 2)).double()

# 풀이
W = stack[1].weight @ stack[0].weight
b = stack[1].weight @ stack[0].bias + stack[1].bias

# %%
xs = torch.randn(50, 3, dtype=torch.float64)
assert W.shape == (2, 3)
assert torch.allclose(stack(xs), xs @ W.T + b)
print("문제 4 통과")

# %% [markdown]
# ## 문제 5. 손으로 XOR 풀기
#
# 은닉 유닛 2개짜리 ReLU 네트워크 `MLP([2, 2, 1])`의 가중치를 직접 정해서, 네 점 $\{0,1\}^2$에서
# 출력이 정확히 XOR(0, 1, 1, 0)이 되게 하세요.

# %%
net = MLP([2, 2, 1])
X4 = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

# 풀이: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), y = h1 - 2 h2
with torch.no_grad():
    net[0].weight.copy_(torch.tensor([[1.0, 1.0], [1.0, 1.0]]))
    net[0].bias.copy_(torch.tensor([0.0, -1.0]))
    net[2].weight.copy_(torch.tensor([[1.0, -2.0]]))
    net[2].bias.zero_()

# %%
with torch.no_grad():
    out = net(X4).squeeze(1)
assert torch.allclose(out, torch.tensor([0.0, 1.0, 1.0, 0.0]))
print("문제 5 통과:", out.tolist())

# %% [markdown]
# ## 문제 6. 선형 모델은 XOR에서 75% 안팎이 한계다
#
# 잡음 섞인 XOR 데이터에서 직선 결정 경계 $w^\top x + b > 0$ 1만 개를 무작위로
# 만들어, 가장 좋은 정확도를 구하세요.

# %%
Xx, yx = xor(n=200, noise=0.2, seed=1)
rng = np.random.default_rng(0)

# 풀이
params = rng.standard_normal((10_000, 3))
pred = (Xx @ params[:, :2].T + params[:, 2]) > 0
best = (pred == yx[:, None]).mean(axis=0).max()

# %%
assert best <= 0.78  # 잡음 때문에 몇 점 정도는 75%를 살짝 넘을 수도 있음
print(f"문제 6 통과: 가장 좋은 직선의 정확도 {best:.3f}")

# %% [markdown]
# ## 문제 7. 반복 수 계산
#
# 훈련 샘플 $N = 1000$, 배치 크기 $B = 64$일 때 (a) 한 에포크의 반복 수, (b) 마지막 배치 크기,
# (c) `drop_last=True`일 때의 반복 수, (d) 15 에포크의 총 반복 수(`drop_last=False`)를 구하세요.

# %%
N, B = 1000, 64

# 풀이
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
print("문제 7 통과")

# %% [markdown]
# ## 문제 8. 학습 루프 완성하기
#
# moons 데이터를 훈련/검증으로 나누고, `MLP([2, 16, 2])`를 학습시켜 **검증 정확도
# 0.95 이상**을 만드세요.
# 순전파 → 손실 → 역전파 → 갱신의 네 단계를 직접 쓰세요.

# %%
X, y = moons(n=300, noise=0.1, seed=0)
(X_tr, y_tr), (X_va, y_va), _ = train_val_test_split(X, y, seed=0, stratify=True)
X_tr, y_tr = torch.from_numpy(X_tr), torch.from_numpy(y_tr)
X_va, y_va = torch.from_numpy(X_va), torch.from_numpy(y_va)

torch.manual_seed(0)
clf = MLP([2, 16, 2])
opt = torch.optim.Adam(clf.parameters(), lr=0.05)

# 풀이
for _ in range(300):
    loss = nn.functional.cross_entropy(clf(X_tr), y_tr)  # 순전파 + 손실
    opt.zero_grad()
    loss.backward()                                      # 역전파
    opt.step()                                           # 갱신

# %%
with torch.no_grad():
    val_acc = (clf(X_va).argmax(1) == y_va).float().mean().item()
assert val_acc >= 0.95, val_acc
print(f"문제 8 통과: 검증 정확도 {val_acc:.3f}")
