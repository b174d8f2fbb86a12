# %% [markdown]
# # 실습 7: 비전-언어-행동 모델
#
# "비전-언어-행동 모델" 장의 내용을 직접 구현하고 확인하는 연습 문제입니다. 각 문제 아래 셀에 풀이가 들어 있고,
# 그 다음 `assert` 셀이 답을 검사합니다. 풀이를 지우고 직접 써 본 뒤 검사 셀을 실행해 보세요.
# 위에서 아래로 한 번에 실행하면 CPU에서 몇 초 만에 끝나고, 그 시간의 대부분은 모델 세 개를 학습시키는 문제 5가 씁니다.
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
from torch.utils.data import DataLoader

from nnref.data import VLATokenizer, VLATorchDataset, make_dummy_vla_data, make_vla_data, success_rate
from nnref.data.vla import target_action
from nnref.models import ActionDecoder, LanguageOnlyVLA, SimpleVLA, VisionOnlyVLA

torch.manual_seed(0)
tok = VLATokenizer()

# %% [markdown]
# ## 문제 1. 명령 토큰화와 패딩
#
# 문장 목록을 받아 `(N, T)` 정수 배열(뒤를 0으로 채움)과 길이 `(N,)`을 돌려주는 `pad_batch(texts)`를
# `tok.encode`만 써서 구현하세요. `T`는 가장 긴 문장의 단어 수입니다.

# %%
# 풀이
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
print("문제 1 통과:", tokens.tolist())

# %% [markdown]
# ## 문제 2. 목표 행동 계산
#
# 장면 하나의 블록 중심 `(x, y)`와 동사로 7자유도 행동을 손으로 만드세요. $z$: 집기 -0.5, 밀기 -0.8, 이동 0.5;
# pitch: 밀기 0.5, 그 외 0; yaw $= \operatorname{atan2}(x, 1.5 - y) / (\pi/2)$; 그리퍼: 집기 +1, 그 외 -1; roll 0.

# %%
# 풀이
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
print("문제 2 통과")

# %% [markdown]
# ## 문제 3. 스케일을 고정한 행동 디코더
#
# `ActionDecoder(..., learn_scale=False)`로 디코더를 만들고, 목표 1.5를 200단계 학습해도 출력이 1을 넘지 못하는
# 것을 확인하세요. 학습되는 스케일(`learn_scale=True`)과 비교합니다.

# %%
# 풀이
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
print(f"문제 3 통과: 고정 스케일 최대 {fixed:.3f}, 학습 스케일 최대 {learned:.3f}")

# %% [markdown]
# ## 문제 4. 더미 데이터의 손실 하한
#
# `make_dummy_vla_data`의 행동은 입력과 독립인 표준정규분포입니다. 훈련 행동의 평균을 늘 내는 상수 예측기의
# 검증 MSE를 구하고, 이론적 하한 1과 표본 잡음 범위 안에서 같은지 확인하세요.

# %%
# 풀이
train_d = make_dummy_vla_data(2000, seed=0, image_size=4)
val_d = make_dummy_vla_data(2000, seed=1, image_size=4)
constant_mse = ((val_d.actions - train_d.actions.mean(axis=0)) ** 2).mean()

# %%
noise = np.sqrt(2 / val_d.actions.size)
assert abs(constant_mse - 1) < 3 * noise
print(f"문제 4 통과: 상수 예측기 MSE {constant_mse:.3f} (하한 1, 잡음 {noise:.3f})")

# %% [markdown]
# ## 문제 5. VLA와 두 기준선
#
# 같은 데이터, 같은 학습률, 같은 에포크로 `SimpleVLA`, `VisionOnlyVLA`, `LanguageOnlyVLA`를 학습시키고 검증 성공률을
# 비교하세요. `SimpleVLA`가 두 기준선보다 0.5 넘게 높아야 합니다.

# %%
# 풀이
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
print("문제 5 통과:", {k: round(v, 3) for k, v in rates.items()})

# %% [markdown]
# ## 문제 6. 행동 토큰화 (RT-1, RT-2, OpenVLA 방식)
#
# $[-1, 1]$을 256개 구간으로 나눠 행동을 정수 토큰으로 바꾸는 `to_tokens`와, 구간 중심으로 되돌리는
# `from_tokens`를 쓰세요. 왕복 오차가 $1/256$ 이하여야 합니다.

# %%
# 풀이
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
print("문제 6 통과: 최대 왕복 오차", round(float(np.abs(from_tokens(t) - acts).max()), 5))

# %% [markdown]
# ## 문제 7. 더 해 보기 (열린 문제)
#
# - `make_vla_data(n_blocks=2)`으로 블록을 여러 개 두고 문제 5를 다시 돌려 보세요. 명령이 어느 블록인지 골라야 하면
#   연결 융합 모델의 성공률이 어떻게 되나요? 왜 그런지 "다음 단계" 페이지의 어텐션 설명과 연결해 보세요.
# - `SimpleVLA(..., coords=False)`로 좌표 채널을 빼고 학습하면 어떻게 되나요?
