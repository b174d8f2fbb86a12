# %% [markdown]
# # 실습 2: 역전파와 자동 미분
#
# "역전파와 자동 미분" 장의 내용을 직접 구현하고 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
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

from nnref.autograd import MLP, Value
from nnref.scratch import gradcheck, numerical_gradient, relative_error

_ = torch.manual_seed(0)  # 생성기를 돌려주므로 "_ ="로 받아 Jupyter가 출력하지 않게 합니다

# %% [markdown]
# ## 문제 1. 2-2-1 신경망의 기울기를 손으로
#
# 원본 노트(seed 001)의 신경망: $x = (0.5, 0.3)$, $w_1 = 0.7$, $w_2 = 0.3$, $w_3 = 0.4$, $w_4 = 0.6$, $w_5 = 0.55$, $w_6 = 0.45$,
# 시그모이드, 편향 없음, 목표 1, 손실 $C = (y - o_1)^2$, 학습률 0.1.
# 여섯 가중치의 기울기를 연쇄 법칙으로 계산하고, 경사 하강법으로 한 번 갱신한 가중치를 구하세요.

# %%
x1, x2, y, lr = 0.5, 0.3, 1.0, 0.1
w = {"w1": 0.7, "w2": 0.3, "w3": 0.4, "w4": 0.6, "w5": 0.55, "w6": 0.45}

# 풀이
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
print("문제 1 통과:", {k: round(v, 6) for k, v in new_w.items()})

# %% [markdown]
# ## 문제 2. 스칼라 엔진으로 같은 계산
#
# `nnref.autograd.Value`로 문제 1의 신경망을 다시 만들고 `backward()`로 기울기를 구하세요.

# %%
# 풀이
v = {k: Value(val) for k, val in w.items()}
vh1 = (x1 * v["w1"] + x2 * v["w3"]).sigmoid()
vh2 = (x1 * v["w2"] + x2 * v["w4"]).sigmoid()
vC = (y - (vh1 * v["w5"] + vh2 * v["w6"]).sigmoid()) ** 2
vC.backward()

# %%
for k in w:
    assert abs(v[k].grad - grads[k]) < 1e-15, k
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. 기울기는 더해진다
#
# $f(a) = a \cdot a + \dfrac{3}{a} - a$에서 `a`는 네 번 쓰입니다. $a = 2$에서 $f'(a)$를 손으로 계산하고(`by_hand`),
# `Value`로 구한 값과 비교하세요.

# %%
# 풀이
by_hand = 2 * 2.0 - 3 / 2.0**2 - 1

# %%
a = Value(2.0)
f = a * a + 3 / a - a
f.backward()
assert abs(a.grad - by_hand) < 1e-15
print("문제 3 통과:", a.grad)

# %% [markdown]
# ## 문제 4. 2층 ReLU 신경망의 수동 역전파
#
# $\hat{Y} = \operatorname{ReLU}(X W_1^\top + b_1) W_2^\top + b_2$, $L = \tfrac12 \sum (\hat{Y} - Y)^2$의 네 기울기를 NumPy로 구하세요
# (가중치 배치는 `nn.Linear`와 같은 `(out, in)`). 검사 셀은 PyTorch와 중앙 차분 수치 미분으로 확인합니다.

# %%
rng = np.random.default_rng(0)
X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)

# 풀이
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
print("문제 4 통과")

# %% [markdown]
# ## 문제 5. 전진 차분과 중앙 차분
#
# $f(w) = w^3$의 $w = 1$에서의 도함수(정답 3)를 전진 차분과 중앙 차분으로 $h = 10^{-1}, \ldots, 10^{-12}$에 대해 구하고,
# 각 방법의 오차가 가장 작은 $h$를 찾으세요.

# %%
hs = [float(f"1e-{k}") for k in range(1, 13)]

# 풀이
err_fwd = [abs(((1 + h) ** 3 - 1) / h - 3) for h in hs]
err_ctr = [abs(((1 + h) ** 3 - (1 - h) ** 3) / (2 * h) - 3) for h in hs]
best_fwd = hs[int(np.argmin(err_fwd))]
best_ctr = hs[int(np.argmin(err_ctr))]

# %%
assert 1e-10 <= best_fwd <= 1e-6 and 1e-7 <= best_ctr <= 1e-3
assert min(err_ctr) < min(err_fwd)
assert err_fwd[-1] > err_fwd[hs.index(best_fwd)] * 100   # too small an h is worse
print(f"문제 5 통과: best h forward {best_fwd:.0e}, central {best_ctr:.0e}")

# %% [markdown]
# ## 문제 6. 사용자 정의 시그모이드 `Function`
#
# `torch.autograd.Function`으로 시그모이드를 구현하세요. 역전파에는 입력 대신 **출력** $s$를 저장해 $s(1 - s)$를 쓰세요.
# `gradcheck`로 확인합니다.

# %%
# 풀이
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
print("문제 6 통과")

# %% [markdown]
# ## 문제 7. 기울기 소실 측정
#
# 폭 32, 깊이 10인 시그모이드 MLP(잔차 연결 있음/없음)에서 첫 층과 마지막 층의 가중치 기울기 노름의 비율을 구하세요.

# %%
def ratio_first_last(residual, depth=10, width=32):
    torch.manual_seed(0)
    layers = [nn.Linear(width, width).double() for _ in range(depth)]
    h = torch.randn(64, width, dtype=torch.float64)
    # 풀이
    for layer in layers:
        out = torch.sigmoid(layer(h))
        h = h + out if residual else out
    h.pow(2).mean().backward()
    return (layers[0].weight.grad.norm() / layers[-1].weight.grad.norm()).item()

plain, res = ratio_first_last(False), ratio_first_last(True)

# %%
assert plain < 1e-4, plain
assert res > 1e-2, res
print(f"문제 7 통과: plain {plain:.1e}, residual {res:.1e}")

# %% [markdown]
# ## 문제 8. 스칼라 엔진으로 학습하기
#
# `nnref.autograd.MLP(2, [8, 1])`로 XOR 네 점(목표 $\pm 1$)을 경사 하강법으로 학습시켜 손실을 0.05 아래로 내리세요.
# 매 단계 `zero_grad()`를 잊지 마세요.

# %%
points = [[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]
targets = [-1.0, -1.0, 1.0, 1.0]
model = MLP(2, [8, 1], seed=0)

# 풀이
for step in range(200):
    loss = sum(((model(p) - t) ** 2 for p, t in zip(points, targets)), Value(0.0)) / 4
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad

# %%
assert loss.data < 0.05, loss.data
assert all((model(p).data > 0) == (t > 0) for p, t in zip(points, targets))
print(f"문제 8 통과: loss {loss.data:.4f}")
