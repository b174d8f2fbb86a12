"""The synthetic VLA task: determinism, tokenizer, dependence of actions on both modalities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnref.data.vla import (
    ACTION_DIM,
    MAX_TOKENS,
    VLATorchDataset,
    block_center,
    make_dummy_vla_data,
    make_vla_data,
    render_scene,
    success_mask,
    success_rate,
    target_action,
)
from nnref.data.vla_text import (
    COLORS,
    LANGUAGES,
    PAD_ID,
    TEMPLATES,
    UNK_ID,
    VERBS,
    VLATokenizer,
    instruction_text,
)


def test_same_seed_same_data_and_different_seed_differs():
    a, b, c = make_vla_data(50, seed=3), make_vla_data(50, seed=3), make_vla_data(50, seed=4)
    for name in ("images", "tokens", "lengths", "actions"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.instructions == b.instructions
    assert not np.array_equal(a.actions, c.actions)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 20), n_blocks=st.integers(1, 4), seed=st.integers(0, 1000))
def test_shapes_ranges_and_targets(n, n_blocks, seed):
    d = make_vla_data(n, seed=seed, image_size=32, n_blocks=n_blocks)
    assert d.images.shape == (n, 3, 32, 32) and d.images.dtype == np.float32
    assert d.tokens.shape == (n, MAX_TOKENS) and d.tokens.dtype == np.int64
    assert d.actions.shape == (n, ACTION_DIM) and np.all(np.abs(d.actions) <= 1)
    assert np.all((d.lengths >= 3) & (d.lengths <= MAX_TOKENS))
    for i in range(n):
        assert d.targets[i] in d.block_colors[i] and len(set(d.block_colors[i])) == n_blocks
        k = d.block_colors[i].index(d.targets[i])
        np.testing.assert_allclose(d.actions[i], target_action(d.verbs[i], *d.block_centers[i, k]))
        assert np.all(d.tokens[i, d.lengths[i] :] == PAD_ID)
        assert np.all(d.tokens[i, : d.lengths[i]] > UNK_ID)


def test_both_languages_and_all_verbs_appear():
    d = make_vla_data(300, seed=0)
    assert set(d.languages) == set(LANGUAGES) and set(d.verbs) == set(VERBS)
    assert set(d.targets) == set(COLORS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_tokenizer_round_trip_every_template(language):
    tok = VLATokenizer()
    for verb in VERBS:
        for color in COLORS:
            for t in range(len(TEMPLATES[language][verb])):
                text = instruction_text(verb, color, language, t)
                ids = tok.encode(text)
                assert UNK_ID not in ids and PAD_ID not in ids
                assert tok.decode(ids) == text


def test_tokenizer_examples_pad_and_unknown():
    tok = VLATokenizer()
    assert tok.vocab[:2] == ["<pad>", "<unk>"]
    assert instruction_text("pick", "red", "ko") == "빨간 블록을 집어"
    assert instruction_text("pick", "red", "en") == "pick up the red block"
    ids = tok.encode("Pick up the PURPLE block")
    assert ids[3] == UNK_ID and tok.decode(ids) == "pick up the <unk> block"
    tokens, lengths = tok.encode_batch(["빨간 블록을 집어", "pick up the red block"])
    assert tokens.shape == (2, 5) and lengths.tolist() == [3, 5]
    assert tokens[0, 3:].tolist() == [0, 0]
    assert tok.decode(tokens[0]) == "빨간 블록을 집어"
    with pytest.raises(ValueError, match="max_len"):
        tok.encode_batch(["pick up the red block"], max_len=2)
    with pytest.raises(TypeError):
        tok.encode(3)


def test_action_depends_on_instruction_and_on_image():
    corner = (2, 9)
    x, y = block_center(corner)
    pick, push = target_action("pick", x, y), target_action("push", x, y)
    assert not np.allclose(pick, push)  # same image, other instruction
    x2, y2 = block_center((11, 1))
    assert not np.allclose(pick, target_action("pick", x2, y2))  # same instruction, other image
    # with two blocks, the colour word picks which block the end point goes to
    image = render_scene([corner, (11, 1)], ["red", "blue"])
    assert image.shape == (3, 16, 16)
    assert not np.allclose(target_action("pick", x, y)[:2], target_action("pick", x2, y2)[:2])
    np.testing.assert_allclose(image[:, 4, 11], [0.9, 0.1, 0.1], atol=1e-6)  # red block centre
    assert (x, y) == pytest.approx((2 * 11 / 15 - 1, 2 * 4 / 15 - 1))


def test_success_rate_definition():
    target = np.zeros((4, 7), dtype=np.float32)
    target[:, 6] = 1
    pred = target.copy()
    pred[1, 0] = 0.2  # too far
    pred[2, 6] = -0.1  # wrong gripper sign
    pred[3, 3:6] = 0.9  # orientation is not part of success
    assert success_mask(pred, target).tolist() == [True, False, False, True]
    assert success_rate(pred, target) == 0.5
    with pytest.raises(ValueError, match="N, 7"):
        success_rate(pred[:, :6], target[:, :6])


def test_dummy_data_is_unrelated_noise():
    d = make_dummy_vla_data(2000, seed=0, image_size=8)
    assert d.images.shape == (2000, 3, 8, 8) and d.tokens.shape == (2000, 16)
    assert abs(d.actions.mean()) < 0.05 and abs(d.actions.var() - 1) < 0.05
    # the inputs carry no linear information about the targets
    corr = np.corrcoef(d.images.reshape(2000, -1)[:, :5].T, d.actions.T)[:5, 5:]
    assert np.abs(corr).max() < 0.1


def test_torch_dataset_items_and_normalisation():
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader

    d = make_vla_data(10, seed=0)
    ds = VLATorchDataset(d)
    (image, tokens, length), action = ds[0]
    assert image.shape == (3, 16, 16) and tokens.dtype == torch.int64
    assert float(image.min()) >= -1 and float(image.max()) <= 1
    torch.testing.assert_close(action, torch.from_numpy(d.actions[0]))
    (images, tokens, lengths), actions = next(iter(DataLoader(ds, batch_size=4)))
    assert images.shape == (4, 3, 16, 16) and tokens.shape == (4, MAX_TOKENS)
    assert lengths.shape == (4,)
    assert actions.shape == (4, 7)
    assert success_rate(actions, actions) == 1.0  # works on tensors too
