# %% [markdown]
# # 실습 6: 학습 워크플로
#
# "학습 워크플로" 장의 내용을 직접 구현하고 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
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

from nnref.data.digits import digits_split
from nnref.train import accuracy, evaluate

torch.manual_seed(0)
(x_train, y_train), (x_val, y_val), (x_test, y_test) = digits_split(seed=0)

# %% [markdown]
# ## 문제 1. 채널별 평균과 표준편차
#
# `(N, C, H, W)` 배열에서 채널마다 평균과 표준편차를 구하는 `channel_stats`를 쓰세요(돌려주는 값의 모양은
# `(C,)`). 그리고 그 값으로 정규화하는 `normalize(x, mean, std)`를 쓰세요. 통계는 훈련 세트에서만 구합니다.

# %%
# 풀이
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
assert abs(z_train.mean()) < 1e-5 and abs(z_val.mean()) > 1e-3  # 검증 세트는 정확히 0이 아니다
print("문제 1 통과: mean", mean.round(4), "std", std.round(4))

# %% [markdown]
# ## 문제 2. 에포크당 반복 수
#
# 샘플 `n`개를 배치 크기 `batch_size`로 나눌 때 한 에포크의 반복 수를 돌려주는 `iterations`를 쓰세요.
# `drop_last=True`면 모자라는 마지막 배치를 버립니다.

# %%
# 풀이
def iterations(n, batch_size, drop_last=False):
    return n // batch_size if drop_last else math.ceil(n / batch_size)


# %%
train_set = TensorDataset(torch.from_numpy(z_train.astype(np.float32)), torch.from_numpy(y_train))
val_set = TensorDataset(torch.from_numpy(z_val.astype(np.float32)), torch.from_numpy(y_val))
for b in (1, 7, 32, 100, 1078, 2000):
    for drop in (False, True):
        assert iterations(len(train_set), b, drop) == len(DataLoader(train_set, batch_size=b, drop_last=drop))
assert iterations(50000, 4) == 12500  # seed 003의 CIFAR-10 설정
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. 검증 루프
#
# `validate(model, loader, loss_fn)`이 (샘플 평균 손실, 정확도)를 돌려주게 쓰세요. 평가 모드와
# `torch.no_grad()`를 쓰고, 마지막 배치가 작아도 샘플 평균이 되도록 배치 크기로 가중합니다.

# %%
# 풀이
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
    """모드와 기울기 기록 여부를 기억하는 모델."""

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
print("문제 3 통과")

# %% [markdown]
# ## 문제 4. 학습 루프
#
# 64-64-10 MLP를 Adam(학습률 0.001)으로 학습하는 `train(model, loader, epochs)`를 쓰고, 검증 정확도가
# 0.95 이상이 되게 하세요(15 에포크 이내).

# %%
# 풀이
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
print(f"문제 4 통과: val loss {val_loss:.4f}, val accuracy {val_acc:.3f}")

# %% [markdown]
# ## 문제 5. 새 입력 하나 추론
#
# 정규화되지 않은 이미지 한 장(`(1, 8, 8)`, 0..1)을 받아 (예측 클래스, 확률 벡터 `(10,)`)을 돌려주는
# `predict(model, image)`를 쓰세요. 학습 때와 같은 전처리, 배치 차원, 평가 모드, `no_grad`, 소프트맥스를
# 잊지 마세요.

# %%
# 풀이
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
print(f"문제 5 통과: first test image -> {label} (p = {probs[label]:.3f}), test accuracy {test_acc:.3f}")
