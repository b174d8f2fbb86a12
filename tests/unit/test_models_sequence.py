"""nnref.models.sequence: classifiers for any batch size, last-step slices, LanguageEncoder."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nnref.models import GRUClassifier, LanguageEncoder, LSTMClassifier, RecurrentClassifier
from nnref.models.sequence import last_hidden


@pytest.mark.parametrize("cls", [LSTMClassifier, GRUClassifier])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("batch", [1, 5, 32, 33])
def test_classifier_any_batch_size(cls, bidirectional, batch):
    torch.manual_seed(0)
    model = cls(4, hidden_size=8, num_classes=3, bidirectional=bidirectional)
    assert model(torch.randn(batch, 7, 4)).shape == (batch, 3)


@settings(max_examples=20, deadline=None)
@given(
    cell=st.sampled_from(["rnn", "lstm", "gru"]),
    num_layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    batch=st.integers(1, 4),
    steps=st.integers(1, 6),
)
def test_last_hidden_is_last_step_of_each_direction(cell, num_layers, bidirectional, batch, steps):
    torch.manual_seed(0)
    model = RecurrentClassifier(3, 5, 2, cell, num_layers, bidirectional)
    out, h_n = model.rnn(torch.randn(batch, steps, 3))
    h_n = h_n[0] if cell == "lstm" else h_n
    last = last_hidden(h_n, bidirectional)
    if bidirectional:  # forward ends at t = T-1, backward at t = 0
        want = torch.cat([out[:, -1, :5], out[:, 0, 5:]], dim=1)
    else:
        want = out[:, -1]
    torch.testing.assert_close(last, want)


def test_classifier_lengths_use_last_real_step():
    torch.manual_seed(0)
    model = LSTMClassifier(2, 6, bidirectional=True)
    x = torch.randn(3, 8, 2)
    padded = x.clone()
    padded[0, 5:] = 0.0
    got = model(padded, lengths=[5, 8, 8])
    torch.testing.assert_close(got[0], model(x[:1, :5])[0])
    torch.testing.assert_close(got[1:], model(x[1:]))
    assert not torch.allclose(model(padded)[0], got[0])  # without lengths padding leaks in


def test_classifier_bad_input():
    model = LSTMClassifier(4)
    with pytest.raises(ValueError, match="x must have shape"):
        model(torch.randn(2, 5, 3))
    with pytest.raises(ValueError, match="lengths"):
        model(torch.randn(2, 5, 4), lengths=[6, 1])
    with pytest.raises(ValueError, match="cell"):
        RecurrentClassifier(4, cell="transformer")


def test_classifier_trains():
    torch.manual_seed(0)
    model = GRUClassifier(1, 8)
    x = torch.randn(64, 6, 1)
    y = (x.sum(dim=(1, 2)) > 0).float()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(60):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.3


@pytest.mark.parametrize("batch", [1, 4, 9])
def test_language_encoder_shapes(batch):
    torch.manual_seed(0)
    enc = LanguageEncoder(100, embed_dim=8, hidden_size=16, feature_dim=12)
    assert enc(torch.randint(1, 100, (batch, 6))).shape == (batch, 12)


def test_language_encoder_lengths():
    torch.manual_seed(0)
    enc = LanguageEncoder(50)
    tokens = torch.randint(1, 50, (3, 7))
    tokens[0, 3:] = 0  # padding_idx
    tokens[1, 5:] = 0
    feats = enc(tokens, lengths=torch.tensor([3, 5, 7]))
    assert feats.shape == (3, 128)
    for i, n in enumerate([3, 5, 7]):
        torch.testing.assert_close(feats[i], enc(tokens[i : i + 1, :n])[0])
    assert not torch.allclose(enc(tokens)[0], feats[0])  # padding changes h_T without lengths
    assert torch.all(enc.embedding.weight[0] == 0)


def test_language_encoder_bad_input():
    enc = LanguageEncoder(10)
    with pytest.raises(TypeError, match="tokens"):
        enc(torch.randn(2, 3))
    with pytest.raises(ValueError, match="tokens"):
        enc(torch.zeros(2, 3, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="lengths"):
        enc(torch.zeros(2, 3, dtype=torch.long), lengths=[0, 3])
