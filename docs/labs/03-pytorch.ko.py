# %% [markdown]
# # 실습 3: PyTorch로 모델 만들기
#
# "PyTorch로 모델 만들기" 장의 내용을 직접 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
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
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import nnref.scratch as S
from nnref.data import moons, train_val_test_split

torch.set_num_threads(1)  # 작은 모델: 스레드가 많으면 오히려 느림
_ = torch.manual_seed(0)  # 생성기를 돌려주므로 "_ ="로 받아 Jupyter가 출력하지 않게 합니다

# %% [markdown]
# ## 문제 1. 고장 난 모델 고치기
#
# 아래 `Broken`은 두 가지 실수를 합니다: `super().__init__()`를 부르지 않고, 은닉층을 파이썬 리스트에
# 담습니다. 같은 구조(8 → 32, 32 → 32 세 개, 32 → 1)의 `Fixed`를 만드세요.

# %%
class Broken(nn.Module):
    def __init__(self):
        self.inp = nn.Linear(8, 32)
        self.hidden = [nn.Linear(32, 32) for _ in range(3)]
        self.out = nn.Linear(32, 1)


# 풀이
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
    raise AssertionError("Broken()은 오류를 내야 합니다")
except AttributeError as error:
    assert "before Module.__init__() call" in str(error)
fixed = Fixed()
expected = (8 * 32 + 32) + 3 * (32 * 32 + 32) + (32 * 1 + 1)
assert sum(p.numel() for p in fixed.parameters()) == expected
assert len(fixed.state_dict()) == 10
assert fixed(torch.randn(5, 8)).shape == (5, 1)
print("문제 1 통과:", expected, "개 파라미터")

# %% [markdown]
# ## 문제 2. 이름 붙은 Sequential
#
# `OrderedDict`로 `fc1`(784 → 128), `act`(ReLU), `drop`(Dropout 0.2), `out`(128 → 10)을 담은
# `nn.Sequential`을 만드세요. 출력층에는 활성화 함수를 두지 않습니다.

# %%
# 풀이
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
assert torch.equal(named(x), named(x))  # eval 모드: 드롭아웃 꺼짐, 결정적
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. CNN의 파라미터 수와 모양
#
# 아래 CNN에 `(16, 3, 32, 32)`를 넣을 때 Flatten 직후의 특성 수 `n_flat`과 전체 파라미터 수
# `n_params`를 **공식으로** 계산하세요. 합성곱 출력 크기는 $\lfloor (H + 2P - K)/S \rfloor + 1$,
# 파라미터는 $C_\text{out} C_\text{in} K^2 + C_\text{out}$입니다.

# %%
# 풀이
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
    nn.Flatten(), nn.Linear(n_flat, 10),  # n_flat이 틀리면 아래 모양 검사에서 걸림
)
feat = cnn[:7](torch.randn(16, 3, 32, 32))
assert feat.shape == (16, n_flat)
assert n_params == sum(p.numel() for p in cnn.parameters())
print("문제 3 통과:", n_flat, n_params)

# %% [markdown]
# ## 문제 4. 로짓에서 교차 엔트로피
#
# 로짓 `z`(모양 `(N, C)`)와 정답 `y`(모양 `(N,)`)로 평균 교차 엔트로피를 log-sum-exp 요령으로
# 계산하는 `my_cross_entropy`를 쓰세요. 로짓이 1000이어도 `inf`/`nan`이 나오면 안 됩니다.
# 그리고 소프트맥스를 먼저 적용했을 때 완벽한 예측의 손실이 얼마인지 `floor`에 구하세요.

# %%
# 풀이
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
assert abs(floor - (-np.log(np.e / (np.e + 3)))) < 1e-4  # 4클래스 하한: 0이 아님
print(f"문제 4 통과: 소프트맥스를 먼저 쓰면 완벽해도 손실 {floor:.4f}")

# %% [markdown]
# ## 문제 5. Adam을 NumPy로
#
# PyTorch의 식 그대로 Adam 한 단계를 NumPy로 구현하세요 (`m`, `v`, 단계 `t`를 직접 관리).
# $\theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}$.
# `torch.optim.Adam`, `nnref.scratch.Adam`과 20단계 동안 같은 값을 내야 합니다.

# %%
# 풀이
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
print("문제 5 통과:", mine.round(4))

# %% [markdown]
# ## 문제 6. 학습 루프의 세 줄
#
# moons 데이터(두 개의 반달)로 2 → 32 → 32 → 2 MLP를 `zero_grad / backward / step` 루프로 학습해
# 검증 정확도 0.95 이상을 만드세요. 옵티마이저와 학습률은 자유입니다.

# %%
X, y = moons(n=600, noise=0.15, seed=0)
(x_tr, y_tr), (x_va, y_va), _ = train_val_test_split(X, y, fractions=(0.7, 0.15, 0.15), seed=0)
x_tr, y_tr, x_va, y_va = map(torch.from_numpy, (x_tr, y_tr, x_va, y_va))

# 풀이
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
print(f"문제 6 통과: 검증 정확도 {val_acc:.3f}")

# %% [markdown]
# ## 문제 7. BatchNorm과 배치 하나
#
# 훈련 모드의 `nn.BatchNorm1d`에 샘플 하나를 넣으면 오류가 납니다. 그 오류를 잡아 `message`에 저장하고,
# 같은 샘플을 평가 모드에서는 통과시켜 `out`에 저장하세요.

# %%
bn = nn.BatchNorm1d(4)
sample = torch.randn(1, 4)

# 풀이
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
print("문제 7 통과")

# %% [markdown]
# ## 문제 8. 깊은 ReLU 망의 초기화
#
# 폭 128, 깊이 30인 ReLU 층 더미에서 마지막 활성값의 표준편차가 0.3~3 사이에 머물도록
# `init_layer(layer)`를 쓰세요. (힌트: 기본 초기화로는 $10^{-12}$ 근처까지 줄어듭니다.)

# %%
# 풀이
def init_layer(layer):
    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.zeros_(layer.bias)


# %%
def last_std(init=None, depth=30, width=128):
    torch.manual_seed(0)
    h = torch.randn(256, width)
    for _ in range(depth):
        layer = nn.Linear(width, width)
        nn.init.zeros_(layer.bias)  # 가중치의 효과만 보려고 편향은 0
        if init is not None:
            init(layer)
        with torch.no_grad():
            h = torch.relu(layer(h))
    return h.std().item()


assert last_std() < 1e-6  # 기본 초기화: 사라짐
assert 0.3 < last_std(init_layer) < 3.0
print(f"문제 8 통과: 기본 {last_std():.1e}, 내 초기화 {last_std(init_layer):.3f}")
