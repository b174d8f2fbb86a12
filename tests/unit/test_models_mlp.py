"""Tests of nnref.models.mlp: shapes, parameter counts by formula, train vs eval behaviour."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from nnref.models import MLP, BatchNormMLP, mlp_num_params


def n_params(m):
    return sum(p.numel() for p in m.parameters())


def test_seed000_mlp_shapes_and_count():
    torch.manual_seed(0)
    m = BatchNormMLP()  # 784 -> 256 -> 256 -> 10
    assert m.sizes == [784, 256, 256, 10]
    out = m(torch.randn(32, 784))
    assert out.shape == (32, 10)
    expected = (784 * 256 + 256) + 2 * 256 + (256 * 256 + 256) + 2 * 256 + (256 * 10 + 10)
    assert expected == 270346 == n_params(m) == mlp_num_params(m.sizes, batchnorm=True)
    # running statistics are buffers, not parameters
    assert sum(b.numel() for b in m.buffers()) == 2 * (2 * 256) + 2


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 20), min_size=2, max_size=5), batch=st.integers(2, 6))
def test_plain_mlp_count_and_shape(sizes, batch):
    m = MLP(sizes)
    assert n_params(m) == mlp_num_params(sizes)
    assert m(torch.randn(batch, sizes[0])).shape == (batch, sizes[-1])
    linears = [layer for layer in m if isinstance(layer, nn.Linear)]
    shapes = [tuple(layer.weight.shape) for layer in linears]
    assert shapes == list(zip(sizes[1:], sizes[:-1], strict=True))  # (out, in)
    assert isinstance(m[-1], nn.Linear)  # no activation on the output


def test_plain_mlp_equals_manual_forward():
    torch.manual_seed(0)
    m = MLP([3, 5, 2], activation="tanh").double()
    x = torch.randn(4, 3, dtype=torch.float64)
    W1, b1, W2, b2 = m[0].weight, m[0].bias, m[2].weight, m[2].bias
    ref = torch.tanh(x @ W1.T + b1) @ W2.T + b2
    torch.testing.assert_close(m(x), ref, rtol=1e-12, atol=1e-12)


def test_activation_argument():
    assert isinstance(MLP([2, 3, 1], activation="gelu")[1], nn.GELU)
    assert isinstance(MLP([2, 3, 1], activation=nn.LeakyReLU)[1], nn.LeakyReLU)
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 3, 1], activation="swish2")
    with pytest.raises(TypeError, match="activation"):
        MLP([2, 3, 1], activation=3)
    with pytest.raises(ValueError, match="sizes"):
        MLP([4])


def test_shape_errors():
    with pytest.raises(ValueError, match=r"\(B, 784\)"):
        BatchNormMLP()(torch.randn(2, 10))
    with pytest.raises(ValueError, match=r"\(B, 3\)"):
        MLP([3, 1])(torch.randn(3))


def test_train_vs_eval():
    torch.manual_seed(0)
    m = BatchNormMLP(20, 16, 3, dropout=0.5)
    x = torch.randn(8, 20)
    m.train()
    a, b = m(x), m(x)
    assert not torch.allclose(a, b)  # dropout masks differ between calls
    m.eval()
    c, d = m(x), m(x)
    torch.testing.assert_close(c, d)  # deterministic
    # eval: each sample is processed independently of the rest of the batch
    torch.testing.assert_close(m(x[:1]), c[:1])
    # train mode with batch of 1: BatchNorm cannot compute batch statistics
    m.train()
    with pytest.raises(ValueError):
        m(x[:1])


def test_train_updates_running_stats_eval_does_not():
    torch.manual_seed(0)
    m = BatchNormMLP(5, 4, 2, num_hidden=1, dropout=0.0)
    bn = m.hidden[0][1]
    x = torch.randn(16, 5)
    m.eval()
    m(x)
    assert torch.equal(bn.running_mean, torch.zeros(4))
    m.train()
    m(x)
    expected = 0.1 * (x @ m.hidden[0][0].weight.T + m.hidden[0][0].bias).mean(0)
    torch.testing.assert_close(bn.running_mean, expected.detach())


def test_bad_constructor_args():
    with pytest.raises(ValueError, match="dropout"):
        BatchNormMLP(dropout=1.0)
    with pytest.raises(ValueError, match="num_hidden"):
        BatchNormMLP(num_hidden=0)
