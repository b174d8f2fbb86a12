# %% [markdown]
# # 실습 4: 합성곱 신경망
#
# "합성곱 신경망" 장의 내용을 직접 구현하고 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
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
import torch.nn.functional as F
from torch import nn

from nnref.data import digits_split
from nnref.models import CifarCNN, count_parameters
from nnref.scratch import conv_output_size

torch.manual_seed(0)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 문제 1. 출력 크기 공식
#
# 입력 크기 `size`, 커널 크기 `k`, 스트라이드 `s`, 패딩 `p`에서 합성곱 출력 크기
# $\lfloor (H + 2P - K)/S \rfloor + 1$을 돌려주는 `out_size`를 쓰세요. 커널이 들어가지 않으면 `ValueError`를 냅니다.

# %%
# 풀이
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
    raise AssertionError("ValueError가 나와야 합니다")
except ValueError:
    pass
print("문제 1 통과")

# %% [markdown]
# ## 문제 2. 반복문으로 합성곱
#
# 채널이 하나인 2차원 배열 `x`(모양 `(H, W)`)와 커널 `w`(모양 `(K, K)`)의 합성곱(교차 상관)을
# 스트라이드 `stride`, 패딩 `padding`으로 계산하는 `conv2d_single`을 반복문으로 쓰세요.

# %%
# 풀이
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
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. reshape로 2x2 최대 풀링
#
# 높이와 너비가 짝수인 `(N, C, H, W)` 배열의 $2\times2$ 최대 풀링(스트라이드 2)을 반복문 없이
# `reshape`와 `max`로 계산하세요. 힌트: `(N, C, H/2, 2, W/2, 2)`.

# %%
# 풀이
def max_pool_2x2(x):
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))


# %%
x = rng.standard_normal((2, 3, 6, 8))
np.testing.assert_array_equal(max_pool_2x2(x), F.max_pool2d(torch.tensor(x), 2).numpy())
print("문제 3 통과")

# %% [markdown]
# ## 문제 4. 파라미터 수 세기
#
# seed 003의 CIFAR-10 모델(합성곱 3→6→16, $5\times5$; 완전 연결 400→120→84→10)의 파라미터 수를
# 공식으로 계산해 `n_params`에 넣으세요. 최대 풀링의 파라미터 수도 `pool_params`에 넣으세요.

# %%
# 풀이
n_params = (6 * (3 * 25 + 1) + 16 * (6 * 25 + 1)
            + 120 * (400 + 1) + 84 * (120 + 1) + 10 * (84 + 1))
pool_params = 0

# %%
assert n_params == count_parameters(CifarCNN())
assert pool_params == count_parameters(nn.MaxPool2d(2))
print("문제 4 통과:", n_params)

# %% [markdown]
# ## 문제 5. 전역 평균 풀링을 쓰는 숫자 CNN
#
# 패키지에 든 $8\times8$ 숫자 이미지로 작은 CNN을 학습하세요. 마지막 합성곱 뒤에 펼치기(flatten) 대신
# 전역 평균 풀링(`nn.AdaptiveAvgPool2d(1)`)을 쓰고, **검증** 정확도 0.9 이상을 목표로 합니다. 조정은 검증 세트로만 하세요.
# 검사 셀이 고른 모델로 테스트 세트를 한 번 잽니다.

# %%
(x_train, y_train), (x_val, y_val), (x_test, y_test) = digits_split(seed=0)
x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
x_val, y_val = torch.from_numpy(x_val), torch.from_numpy(y_val)

# 풀이
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
with torch.no_grad():  # 고른 모델로 테스트 세트를 한 번만
    test_pred = model(torch.as_tensor(x_test)).argmax(dim=1)
test_acc = (test_pred == torch.as_tensor(y_test)).float().mean().item()
print(f"문제 5 통과: 검증 정확도 {val_acc:.3f}, 테스트 정확도 {test_acc:.3f}")
