"""SimpleVLA and its parts: shapes, bounds, errors, and that it learns what neither baseline can."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader

from nnref.data.vla import VLATorchDataset, make_vla_data, success_rate
from nnref.data.vla_text import VLATokenizer
from nnref.models.vla import ActionDecoder, LanguageOnlyVLA, SimpleVLA, VisionOnlyVLA, add_coords

VOCAB = VLATokenizer().vocab_size
SMALL = dict(feature_dim=16, vision_channels=(8, 8), embed_dim=8, hidden_size=8, decoder_hidden=(16,))


def test_action_decoder_formula_and_learnable_scale():
    torch.manual_seed(0)
    dec = ActionDecoder(6, action_dim=7, hidden_sizes=(5,))
    z = torch.randn(4, 6)
    with torch.no_grad():
        dec.action_scale.copy_(torch.arange(1.0, 8.0))
    expected = torch.tanh(dec.policy_head(z)) * torch.arange(1.0, 8.0)
    torch.testing.assert_close(dec(z), expected)
    assert isinstance(dec.action_scale, nn.Parameter)
    # the bound is |scale|, so it is not fixed at 1 once the scale is learned
    with torch.no_grad():
        dec.policy_head[-1].bias.fill_(50.0)
    assert torch.allclose(dec(z), torch.arange(1.0, 8.0).expand(4, 7))
    fixed = ActionDecoder(6, hidden_sizes=(5,), learn_scale=False)
    assert "action_scale" not in dict(fixed.named_parameters()) and fixed(z).abs().max() <= 1
    with pytest.raises(ValueError, match=r"\(B, 6\)"):
        dec(torch.randn(4, 5))


def test_add_coords():
    out = add_coords(torch.zeros(2, 3, 4, 5))
    assert out.shape == (2, 5, 4, 5)
    torch.testing.assert_close(out[0, 3, 0], torch.linspace(-1, 1, 5))  # x varies along columns
    torch.testing.assert_close(out[1, 4, :, 0], torch.linspace(-1, 1, 4))  # y along rows


@settings(max_examples=10, deadline=None)
@given(batch=st.integers(1, 9), size=st.sampled_from([16, 20, 32]), t=st.integers(1, 6))
def test_shapes_end_to_end(batch, size, t):
    torch.manual_seed(0)
    images = torch.rand(batch, 3, size, size)
    tokens = torch.randint(1, VOCAB, (batch, t))
    lengths = torch.randint(1, t + 1, (batch,))
    for cls, fused in ((SimpleVLA, 32), (VisionOnlyVLA, 16), (LanguageOnlyVLA, 16)):
        model = cls(VOCAB, **SMALL)
        assert model.encode(images, tokens, lengths).shape == (batch, fused)
        actions = model(images, tokens, lengths)
        assert actions.shape == (batch, 7) and actions.abs().max() <= 1


def test_baselines_ignore_the_other_modality():
    torch.manual_seed(0)
    images, tokens = torch.rand(3, 3, 16, 16), torch.randint(1, VOCAB, (3, 4))
    vision, language = VisionOnlyVLA(VOCAB, **SMALL), LanguageOnlyVLA(VOCAB, **SMALL)
    assert not hasattr(vision, "language_encoder") and not hasattr(language, "vision_encoder")
    torch.testing.assert_close(vision(images, tokens), vision(images, tokens.flip(0)))
    torch.testing.assert_close(language(images, tokens), language(torch.rand(3, 3, 16, 16), tokens))
    full = SimpleVLA(VOCAB, **SMALL)
    assert not torch.allclose(full(images, tokens), full(images, tokens.flip(0)))
    assert not torch.allclose(full(images, tokens), full(torch.rand(3, 3, 16, 16), tokens))


def test_bad_inputs():
    model = SimpleVLA(VOCAB, **SMALL)
    with pytest.raises(ValueError, match="same batch size"):
        model(torch.rand(2, 3, 16, 16), torch.ones(3, 4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"\(B, 5, H, W\)"):  # 3 colour + 2 coordinate channels
        model(torch.rand(2, 1, 16, 16), torch.ones(2, 4, dtype=torch.long))
    with pytest.raises(TypeError):
        model(torch.rand(2, 3, 16, 16), torch.ones(2, 4))


def _train(cls, train_loader, val_set, epochs=4):
    torch.manual_seed(0)
    model = cls(VOCAB, feature_dim=32, vision_channels=(16, 16, 16), embed_dim=8, hidden_size=16, decoder_hidden=(64,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(epochs):
        for (images, tokens, lengths), actions in train_loader:
            opt.zero_grad()
            nn.functional.mse_loss(model(images, tokens, lengths), actions).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return success_rate(model(val_set.images, val_set.tokens, val_set.lengths), val_set.actions)


def test_vla_learns_and_beats_both_single_modality_baselines():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # faster for these small models, and the same result on any core count
    try:
        _check_vla_beats_baselines()
    finally:
        torch.set_num_threads(threads)


def _check_vla_beats_baselines():
    torch.manual_seed(0)
    train = VLATorchDataset(make_vla_data(800, seed=10))
    val = VLATorchDataset(make_vla_data(300, seed=11))
    generator = torch.Generator().manual_seed(0)
    loader = DataLoader(train, batch_size=32, shuffle=True, generator=generator)
    models = (SimpleVLA, VisionOnlyVLA, LanguageOnlyVLA)
    rates = {cls.__name__: _train(cls, loader, val) for cls in models}
    assert rates["SimpleVLA"] > 0.8, rates
    assert rates["SimpleVLA"] > max(rates["VisionOnlyVLA"], rates["LanguageOnlyVLA"]) + 0.6, rates


def test_cli_task_builds_all_three_models():
    from nnref.train.tasks import TaskParts
    from nnref.train.tasks.vla import build

    for name, cls in (("vla", SimpleVLA), ("vision", VisionOnlyVLA), ("language", LanguageOnlyVLA)):
        parts = build(0, model=name)
        assert isinstance(parts, TaskParts) and type(parts.model) is cls
        assert parts.metric_name == "success rate" and parts.epochs >= 1
        (images, tokens, lengths), actions = next(iter(parts.val_loader))
        outputs = parts.model(images, tokens, lengths)
        assert outputs.shape == actions.shape == (len(actions), 7)
        assert 0.0 <= parts.metric(outputs, actions) <= 1.0
    with pytest.raises(ValueError, match="model must be one of"):
        build(0, model="both")
