"""nnref.scratch.functional / losses against torch.nn.functional in float64."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from nnref.scratch import functional as sf
from nnref.scratch import losses as sl

TOL = dict(rtol=1e-10, atol=1e-12)


def t(a, grad=True):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def vjp(out, inputs, g):
    """Gradients of ``sum(out * g)`` with respect to ``inputs`` (torch.autograd.grad)."""
    return [x.detach().numpy() for x in torch.autograd.grad(out, inputs, torch.as_tensor(g, dtype=torch.float64))]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


shapes = st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple)
SETTINGS = settings(max_examples=25, deadline=None)


@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_pointwise_activations(shape, seed, close):
    r = np.random.default_rng(seed)
    x = r.normal(scale=3.0, size=shape)
    g = r.normal(size=shape)
    cases = [
        ("relu", sf.relu, sf.relu_backward, F.relu),
        ("sigmoid", sf.sigmoid, sf.sigmoid_backward, torch.sigmoid),
        ("tanh", sf.tanh, sf.tanh_backward, torch.tanh),
        ("gelu", sf.gelu, sf.gelu_backward, F.gelu),
        (
            "gelu_tanh",
            lambda a: sf.gelu(a, approximate="tanh"),
            lambda gg, a: sf.gelu_backward(gg, a, approximate="tanh"),
            lambda a: F.gelu(a, approximate="tanh"),
        ),
    ]
    for name, fwd, bwd, ref in cases:
        xt = t(x)
        out = ref(xt)
        close(name, fwd(x), out.detach().numpy())
        close(name + "_backward", bwd(g, x), vjp(out, [xt], g)[0])


def test_sigmoid_extreme_values_do_not_overflow(close):
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sf.sigmoid(x)
    close("sigmoid", s, torch.sigmoid(t(x, False)).numpy())


@SETTINGS
@given(shape=shapes, data=st.data())
def test_softmax_log_softmax(shape, data, close):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    r = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    x = r.normal(scale=5.0, size=shape)
    g = r.normal(size=shape)
    for name, fwd, bwd, ref in [
        ("softmax", sf.softmax, sf.softmax_backward, F.softmax),
        ("log_softmax", sf.log_softmax, sf.log_softmax_backward, F.log_softmax),
    ]:
        xt = t(x)
        out = ref(xt, dim=dim)
        close(name, fwd(x, dim), out.detach().numpy())
        close(name + "_backward", bwd(g, x, dim), vjp(out, [xt], g)[0])


def test_softmax_is_stable_at_large_logits(close):
    x = np.array([[1000.0, 0.0, -1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        close("softmax", sf.softmax(x, 1), F.softmax(t(x, False), 1).numpy())
        close("log_softmax", sf.log_softmax(x, 1), F.log_softmax(t(x, False), 1).numpy())


@SETTINGS
@given(
    lead=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    n_in=st.integers(1, 5),
    n_out=st.integers(1, 5),
    use_bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear(lead, n_in, n_out, use_bias, seed, close):
    r = np.random.default_rng(seed)
    x, w = r.normal(size=lead + (n_in,)), r.normal(size=(n_out, n_in))
    b = r.normal(size=n_out) if use_bias else None
    g = r.normal(size=lead + (n_out,))
    xt, wt = t(x), t(w)
    bt = t(b) if use_bias else None
    out = F.linear(xt, wt, bt)
    close("linear", sf.linear(x, w, b), out.detach().numpy())
    grads = sf.linear_backward(g, x, w, b)
    ref = vjp(out, [xt, wt] + ([bt] if use_bias else []), g)
    for ours, theirs in zip(grads, ref, strict=False):  # grads[2] is None without a bias
        close("linear_backward", ours, theirs)
    assert (grads[2] is None) == (not use_bias)


def test_linear_bad_shapes(rng):
    with pytest.raises(ValueError, match="weight.shape"):
        sf.linear(rng.normal(size=(2, 3)), rng.normal(size=(4, 5)))
    with pytest.raises(ValueError, match="bias"):
        sf.linear(rng.normal(size=(2, 3)), rng.normal(size=(4, 3)), rng.normal(size=3))
    with pytest.raises(ValueError, match="weight"):
        sf.linear(rng.normal(size=(2, 3)), rng.normal(size=3))
    with pytest.raises(ValueError, match="dim"):
        sf.softmax(rng.normal(size=(2, 3)), dim=2)


def test_dropout(rng, close):
    x, g = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    mask = sf.dropout_mask(x.shape, 0.3, np.random.default_rng(1))
    y = sf.dropout(x, 0.3, True, mask=mask)
    # torch with the same mask: F.dropout is x * m / (1 - p); compare formula and backward
    xt = t(x)
    out = xt * torch.tensor(mask) / 0.7
    close("dropout", y, out.detach().numpy())
    close("dropout_backward", sf.dropout_backward(g, x, 0.3, mask=mask), vjp(out, [xt], g)[0])
    close("dropout", sf.dropout(x, 0.3, training=False), F.dropout(t(x, False), 0.3, training=False).numpy())
    assert_allclose(sf.dropout_backward(g, x, 0.3, training=False), g)
    with pytest.raises(ValueError, match="mask is required in training"):
        sf.dropout_backward(g, x, 0.3)
    # same rng seed -> same output; the keep rate is 1 - p; torch's scale for kept units
    a = sf.dropout(x, 0.3, rng=np.random.default_rng(5))
    b = sf.dropout(x, 0.3, rng=np.random.default_rng(5))
    assert_allclose(a, b)
    big = sf.dropout(np.ones(100_000), 0.3, rng=np.random.default_rng(2))
    assert abs((big > 0).mean() - 0.7) < 0.01 and np.allclose(big[big > 0], 1 / 0.7)
    tb = F.dropout(torch.ones(100_000, dtype=torch.float64), 0.3)
    assert np.allclose(np.unique(tb.numpy()), np.unique(big))
    with pytest.raises(ValueError, match="mask"):
        sf.dropout(x, 0.3, mask=np.ones((2, 2)))
    with pytest.raises(ValueError, match="p must"):
        sf.dropout(x, 1.5)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2), (2, 3, 4, 5)])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_training_and_eval(shape, affine, rng, close):
    C = shape[1]
    x, g = rng.normal(2.0, 3.0, size=shape), rng.normal(size=shape)
    rm, rv = rng.normal(size=C), rng.uniform(0.5, 2.0, size=C)
    w, b = (rng.normal(size=C), rng.normal(size=C)) if affine else (None, None)
    for training in (True, False):
        rm_t, rv_t = torch.tensor(rm), torch.tensor(rv)
        xt = t(x)
        wt, bt = (t(w), t(b)) if affine else (None, None)
        out = F.batch_norm(xt, rm_t, rv_t, wt, bt, training=training, momentum=0.2, eps=1e-5)
        rm_n, rv_n = rm.copy(), rv.copy()
        y = sf.batch_norm(x, rm_n, rv_n, w, b, training=training, momentum=0.2, eps=1e-5)
        close("batch_norm", y, out.detach().numpy())
        close("batch_norm_running", rm_n, rm_t.numpy())
        close("batch_norm_running", rv_n, rv_t.numpy())
        grads = sf.batch_norm_backward(g, x, rm, rv, w, b, training=training)
        ref = vjp(out, [xt] + ([wt, bt] if affine else []), g)
        for ours, theirs in zip(grads, ref, strict=False):  # no weight/bias grads if not affine
            close("batch_norm_backward", ours, theirs, rtol=1e-9, atol=1e-11)


def test_batch_norm_batch_of_one_raises_like_torch(rng):
    x = rng.normal(size=(1, 3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        sf.batch_norm(x, np.zeros(3), np.ones(3), training=True)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(
            torch.tensor(x),
            torch.zeros(3, dtype=torch.float64),
            torch.ones(3, dtype=torch.float64),
            training=True,
        )
    sf.batch_norm(x, np.zeros(3), np.ones(3), training=False)  # eval mode is fine
    with pytest.raises(ValueError, match="running_mean"):
        sf.batch_norm(rng.normal(size=(4, 3)), np.zeros(2), np.ones(3), training=True)


# ---------------------------------------------------------------- losses
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_and_binary_losses(reduction, rng, close):
    shape = (4, 3)
    x, y = rng.normal(scale=3.0, size=shape), rng.uniform(size=shape)
    p = rng.uniform(0.01, 0.99, size=shape)
    w, pw = rng.uniform(0.5, 2.0, size=shape), rng.uniform(0.5, 3.0, size=3)
    g = rng.normal() if reduction != "none" else rng.normal(size=shape)
    cases = [
        ("mse_loss", sl.mse_loss, sl.mse_loss_backward, F.mse_loss, x, {}),
        ("l1_loss", sl.l1_loss, sl.l1_loss_backward, F.l1_loss, x, {}),
        (
            "binary_cross_entropy",
            sl.binary_cross_entropy,
            sl.binary_cross_entropy_backward,
            F.binary_cross_entropy,
            p,
            {"weight": w},
        ),
        (
            "bce_with_logits",
            sl.binary_cross_entropy_with_logits,
            sl.binary_cross_entropy_with_logits_backward,
            F.binary_cross_entropy_with_logits,
            x,
            {},
        ),
        (
            "bce_with_logits",
            sl.binary_cross_entropy_with_logits,
            sl.binary_cross_entropy_with_logits_backward,
            F.binary_cross_entropy_with_logits,
            x,
            {"weight": w, "pos_weight": pw},
        ),
    ]
    for name, fwd, bwd, ref, inp, kw in cases:
        xt = t(inp)
        out = ref(xt, torch.tensor(y), reduction=reduction, **{k: torch.tensor(v) for k, v in kw.items()})
        close(name, fwd(inp, y, reduction=reduction, **kw), out.detach().numpy())
        close(name + "_backward", bwd(g, inp, y, reduction=reduction, **kw), vjp(out, [xt], g)[0])


def test_bce_with_logits_is_stable_at_large_logits(close):
    x, y = np.array([-800.0, -50.0, 50.0, 800.0]), np.array([1.0, 0.0, 0.0, 1.0])
    with np.errstate(over="raise"):
        ours = sl.binary_cross_entropy_with_logits(x, y, reduction="none")
    close("bce_with_logits", ours, F.binary_cross_entropy_with_logits(t(x, False), t(y, False), reduction="none"))
    # BCE on probabilities clamps log at -100 like torch
    p = np.array([0.0, 1.0, 0.5])
    close(
        "binary_cross_entropy",
        sl.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0]), reduction="none"),
        F.binary_cross_entropy(t(p, False), t(np.array([1.0, 0.0, 1.0]), False), reduction="none"),
    )


@SETTINGS
@given(
    n=st.integers(1, 5),
    c=st.integers(1, 5),
    extra=st.lists(st.integers(1, 3), max_size=2).map(tuple),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    use_weight=st.booleans(),
    ignored=st.sampled_from(["none", "one", "all"]),
    smoothing=st.sampled_from([0.0, 0.1, 0.35, 1.0]),
    seed=st.integers(0, 2**16),
)
def test_cross_entropy_and_nll(n, c, extra, reduction, use_weight, ignored, smoothing, seed, close):
    """Index targets with class weights, ignore_index (one or every target) and label_smoothing.
    When every target is ignored torch's mean is nan and its gradient 0: ours too."""
    r = np.random.default_rng(seed)
    x = r.normal(scale=3.0, size=(n, c) + extra)
    y = r.integers(0, c, size=(n,) + extra)
    if ignored != "none":
        y.flat[: 1 if ignored == "one" else y.size] = -100
    w = r.uniform(0.5, 2.0, size=c) if use_weight else None
    wt = torch.tensor(w) if use_weight else None
    g = r.normal() if reduction != "none" else r.normal(size=y.shape)
    for name, fwd, bwd, ref, kw in [
        ("cross_entropy", sl.cross_entropy, sl.cross_entropy_backward, F.cross_entropy, {"label_smoothing": smoothing}),
        ("nll_loss", sl.nll_loss, sl.nll_loss_backward, F.nll_loss, {}),
    ]:
        xt = t(x)
        out = ref(xt, torch.tensor(y), weight=wt, reduction=reduction, **kw)
        close(name, fwd(x, y, w, reduction=reduction, **kw), out.detach().numpy())
        close(name + "_backward", bwd(g, x, y, w, reduction=reduction, **kw), vjp(out, [xt], g)[0])


@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_probability_targets_and_unbatched(reduction, smoothing, rng, close):
    kw = {"reduction": reduction, "label_smoothing": smoothing}
    x = rng.normal(size=(4, 5, 2))
    y = sf.softmax(rng.normal(size=(4, 5, 2)), 1)
    w = rng.uniform(0.5, 2.0, size=5)
    g = rng.normal() if reduction != "none" else rng.normal(size=(4, 2))
    xt = t(x)
    out = F.cross_entropy(xt, torch.tensor(y), weight=torch.tensor(w), **kw)
    close("cross_entropy", sl.cross_entropy(x, y, w, **kw), out.detach().numpy())
    close("cross_entropy_backward", sl.cross_entropy_backward(g, x, y, w, **kw), vjp(out, [xt], g)[0])
    x1, w1 = rng.normal(size=5), rng.uniform(0.5, 2.0, size=5)
    for y1 in (np.int64(3), sf.softmax(rng.normal(size=5), 0)):  # an index, then probabilities
        xt = t(x1)
        out = F.cross_entropy(xt, torch.tensor(y1), torch.tensor(w1), **kw)
        g = rng.normal()
        close("cross_entropy", sl.cross_entropy(x1, y1, w1, **kw), out.detach().numpy())
        close("cross_entropy_backward", sl.cross_entropy_backward(g, x1, y1, w1, **kw), vjp(out, [xt], g)[0])


def test_label_smoothing_is_a_mixture_with_the_uniform_target(rng):
    """With indices, label_smoothing=eps equals probability targets (1 - eps) onehot + eps / C."""
    x, y, eps = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6), 0.3
    q = (1 - eps) * np.eye(4)[y] + eps / 4
    assert_allclose(sl.cross_entropy(x, y, label_smoothing=eps), sl.cross_entropy(x, q), **TOL)
    assert_allclose(
        sl.cross_entropy_backward(1.0, x, y, label_smoothing=eps), sl.cross_entropy_backward(1.0, x, q), **TOL
    )
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\], got 1.5"):
        sl.cross_entropy(x, y, label_smoothing=1.5)
    with pytest.raises(TypeError, match="label_smoothing must be a number"):
        sl.cross_entropy(x, y, label_smoothing="0.1")


def test_loss_bad_shapes(rng):
    with pytest.raises(ValueError, match="target"):
        sl.mse_loss(rng.normal(size=(3, 2)), rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match="target"):
        sl.cross_entropy(rng.normal(size=(3, 4)), np.array([0, 1]))
    with pytest.raises(ValueError, match="target"):
        sl.cross_entropy(rng.normal(size=(3, 4)), np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="weight"):
        sl.nll_loss(rng.normal(size=(3, 4)), np.array([0, 1, 2]), np.ones(3))
    with pytest.raises(ValueError, match="target values"):
        sl.nll_loss(rng.normal(size=(3, 4)), np.array([0, 1, 4]))
    with pytest.raises(ValueError, match="reduction"):
        sl.l1_loss(np.ones(2), np.ones(2), reduction="avg")
    with pytest.raises(ValueError, match="probabilities"):
        sl.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
