"""PyTorch's own sample inputs as a peer suite for nnref.scratch.

PyTorch tests its operators, modules and optimizers on the inputs in ``torch.testing._internal``
(``op_db``, ``module_db``, ``optim_db``). Here every row of docs/reference/torch-mirrors.yml that
names a torch counterpart runs on those samples (the row's :data:`ENTRIES` item says which), in
float64 and float32: nnref's output against torch's (values within :data:`TOL` for the dtype, and
the same dtype and shape), and nnref's ``*_backward`` against ``torch.autograd.grad`` with a seeded
random ``grad_output``. A sample that the row's ``unsupported:`` list covers must be refused with a
ValueError, TypeError or NotImplementedError whose message holds the entry's ``says``; every other
sample must match. So a mismatch, an error the table does not list, a listed feature that nnref
accepts after all, or a listed feature no sample reaches fails the row's test.

Adapters only move data across (tensors to NumPy arrays, a module's ``state_dict`` to the
arguments nnref takes); the few places where one sample becomes a different call say so. Cost:
max_pool2d runs every 7th of its 1440 samples (a fixed subsample); everything else runs whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnref import scratch
from nnref_docs import apiref  # the torch-mirror table the site renders
from nnref_docs.paths import ROOT

pytestmark = [
    pytest.mark.long,
    # torch's notices about its own kernels, on samples it runs for comparison
    pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning"),
    pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN:UserWarning"),
]
MIRRORS = apiref.load_mirrors(ROOT / "docs" / "reference" / "torch-mirrors.yml")
ROWS = {row["nnref"][0]: row for row in MIRRORS if row["torch"]}
DTYPES = {"float64": torch.float64, "float32": torch.float32}
# |ours - torch| <= atol + rtol * |torch|, elementwise. float64 leaves room for a different order of
# summation (conv, pooling windows, losses over many elements); float32 for the same in float32.
TOL = {"float64": dict(rtol=1e-10, atol=1e-12), "float32": dict(rtol=1e-4, atol=1e-4)}
FINITE_DIFFERENCES = dict(rtol=1e-6, atol=1e-7)  # numerical_gradient's central differences, h=1e-5
REFUSALS = (ValueError, TypeError, NotImplementedError)
OPTIMIZER_STEPS = 5
RESULTS: dict[tuple[str, str], dict] = {}  # (row, dtype) -> counts and worst errors, for the report


# ---- torch's sample databases, imported once per module -----------------------------------------


class Source(NamedTuple):
    kind: str  # "op" (op_db), "module" (module_db) or "optim" (optim_db)
    name: str  # OpInfo name, module class name or optimizer class name
    variant: str = ""  # an OpInfo's variant_test_name


class DB:
    """op_db, module_db and optim_db, and their samples per source and dtype (made once each, from
    a fixed seed: make_tensor draws from torch's global generator)."""

    def __init__(self):
        frozen = torch.backends.flags_frozen()
        from torch.testing._internal.common_methods_invocations import op_db
        from torch.testing._internal.common_modules import module_db
        from torch.testing._internal.common_optimizers import optim_db

        if not frozen:  # importing common_utils froze torch.backends flags for the whole process: thaw
            torch.backends.flags_frozen.__globals__["__allow_nonbracketed_mutation_flag"] = True
        self.infos = {("op", o.name, o.variant_test_name): o for o in op_db}
        self.infos |= {("module", m.module_cls.__name__, ""): m for m in module_db}
        self.infos |= {("optim", o.optim_cls.__name__, ""): o for o in optim_db}
        self.made: dict[tuple[Source, torch.dtype], list] = {}

    def samples(self, source: Source, dtype: torch.dtype) -> list:
        if (source, dtype) not in self.made:
            self.made[source, dtype] = self._samples(source, dtype)
        return self.made[source, dtype]

    def _samples(self, source: Source, dtype: torch.dtype) -> list:
        info = self.infos[tuple(source)]
        torch.manual_seed(0)
        if source.kind == "op":
            return list(info.sample_inputs("cpu", dtype, requires_grad=info.supports_autograd))
        if source.kind == "module":
            return list(info.module_inputs_func(info, device="cpu", dtype=dtype, requires_grad=True, training=True))
        return list(info.optim_inputs_func(device="cpu", dtype=dtype))


@pytest.fixture(scope="module")
def db():
    return DB()


@pytest.fixture(autouse=True)
def _torch_generator_left_as_it_was():
    """The samples, module weights and torch's dropout/bernoulli draw from torch's global generator:
    the tests that run after these in the same process find it as it was."""
    with torch.random.fork_rng():
        yield


def test_importing_torch_samples_leaves_torch_backends_settable(db):
    """torch.testing._internal freezes torch.backends flags on import; DB thaws them again, so a test
    that sets e.g. ``torch.backends.cudnn.allow_tf32`` later in this process still can."""
    torch.backends.cudnn.allow_tf32 = torch.backends.cudnn.allow_tf32


# ---- moving data across, comparing ---------------------------------------------------------------


def np_(a):
    """Tensors (in tuples, lists, dicts too) as NumPy arrays; a torch dtype as a NumPy dtype."""
    if isinstance(a, torch.Tensor):
        return a.detach().numpy().copy()
    if isinstance(a, torch.dtype):
        return np.dtype(str(a).removeprefix("torch."))
    if isinstance(a, (tuple, list)):
        return type(a)(np_(v) for v in a)
    if isinstance(a, dict):
        return {k: np_(v) for k, v in a.items()}
    return a


def random_like(out, rng):
    """A seeded random upstream gradient for each floating tensor in ``out``."""
    if isinstance(out, (tuple, list)):
        return type(out)(random_like(o, rng) for o in out)
    return torch.from_numpy(rng.standard_normal(out.shape).astype(np_(out.dtype)))


def vjp(outputs, inputs, grad_outputs):
    """``torch.autograd.grad`` of ``sum(outputs * grad_outputs)``: one gradient per input, None for
    an input that is absent or has no gradient (an integer target), zeros where it is unused."""
    outputs, grad_outputs = (outputs, grad_outputs) if isinstance(outputs, tuple) else ((outputs,), (grad_outputs,))
    wanted = [x for x in inputs if isinstance(x, torch.Tensor) and x.requires_grad]
    if not wanted:
        return [None] * len(inputs)
    found = iter(torch.autograd.grad(outputs, wanted, grad_outputs, allow_unused=True, materialize_grads=True))
    return [next(found) if x is not None and any(x is w for w in wanted) else None for x in inputs]


class Check(NamedTuple):
    what: str  # "forward", "backward", ...
    theirs: Any  # what torch computed (tensors, arrays, tuples of them, None)
    ours: Callable[[], Any]  # the nnref call, run by the test
    tol: dict | None = None  # None: TOL of the dtype


def compare(what, ours, theirs, tol, worst) -> list[str]:
    """What differs between nnref's result and torch's (nothing: an empty list)."""
    if theirs is None or ours is None:
        return (
            [] if ours is None and theirs is None else [f"{what}: nnref gave {type(ours).__name__}, torch {theirs!r}"]
        )
    if isinstance(theirs, (tuple, list)):
        ours = ours if isinstance(ours, (tuple, list)) else (ours,)
        theirs = list(theirs) + [None] * (len(ours) - len(theirs))  # nnref's None for an absent bias
        if len(ours) != len(theirs):
            return [f"{what}: nnref gave {len(ours)} results, torch {len(theirs)}"]
        return [
            p
            for i, (o, t) in enumerate(zip(ours, theirs, strict=True))
            for p in compare(f"{what}[{i}]", o, t, tol, worst)
        ]
    theirs = np_(theirs)
    if not isinstance(ours, (np.ndarray, np.generic)):
        return [f"{what}: nnref gave a {type(ours).__name__}, not a NumPy array"]
    if ours.dtype != theirs.dtype:
        return [f"{what}: dtype {ours.dtype}, torch gives {theirs.dtype}"]
    if ours.shape != theirs.shape:
        return [f"{what}: shape {ours.shape}, torch gives {theirs.shape}"]
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    err = np.where(same, 0.0, np.abs(a - b))
    if not err.size:
        return []
    ratio = float(np.max(err / (tol["atol"] + tol["rtol"] * np.abs(np.where(np.isfinite(b), b, 0.0)))))
    worst["abs"], worst["ratio"] = max(worst["abs"], float(np.max(err))), max(worst["ratio"], ratio)
    if ratio > 1 or np.isnan(ratio):
        i = np.unravel_index(np.argmax(np.where(np.isnan(err), np.inf, err)), err.shape)
        return [
            f"{what}: |ours - torch| = {err[i]:.3g} at {tuple(map(int, i))} (ours {a[i]!r}, torch {b[i]!r}), {ratio:.3g} x the tolerance"
        ]
    return []


def describe(sample) -> str:
    """A sample in one line, a tensor as T(shape)."""

    def short(a):
        if isinstance(a, torch.Tensor):
            return f"T{tuple(a.shape)}"
        if isinstance(a, (tuple, list)):
            return "(" + ", ".join(short(v) for v in a) + ("," if len(a) == 1 else "") + ")"
        if isinstance(a, dict):
            return "{" + ", ".join(f"{k}={short(v)}" for k, v in a.items()) + "}"
        return repr(a)

    if hasattr(sample, "constructor_input"):  # a ModuleInput
        ci, fi = sample.constructor_input, sample.forward_input
        return f"{short(ci.args)} {short(ci.kwargs)} -> forward{short(fi.args)} {short(fi.kwargs)}"
    if hasattr(sample, "input"):  # a SampleInput
        return f"{short(sample.input)} {short(sample.args)} {short(sample.kwargs)}"
    return f"{sample.desc}: {short(sample.kwargs)}"  # an OptimizerInput


# ---- adapters: one torch sample -> what torch computes, and the nnref calls to compare ------------


def functional(torch_fn, ours, ours_backward=None, grads_of=None):
    """An op called ``f(input, *args, **kwargs)`` on both sides; the backward takes ``grad_output``
    first and returns the gradients of the forward's array arguments (of the first ``grads_of``
    arguments: 1 for a loss, whose target and weights are constants, and for pooling)."""

    def adapt(s, rng, dtype, source):
        args = (s.input, *s.args)
        out = torch_fn(*args, **s.kwargs)
        checks = [Check("forward", out, lambda: ours(*np_(args), **np_(s.kwargs)))]
        if ours_backward is not None and isinstance(out, torch.Tensor) and out.requires_grad:
            g = random_like(out, rng)
            theirs = vjp(out, [a for a in args[:grads_of] if a is None or isinstance(a, torch.Tensor)], g)
            checks.append(Check("backward", theirs, lambda: ours_backward(np_(g), *np_(args), **np_(s.kwargs))))
        return checks

    return adapt


def dropout(s, rng, dtype, source):
    """torch draws its own mask; the gradient of ``sum(output)`` is ``mask / (1 - p)``, so the mask
    torch drew is where that gradient is not 0, and nnref gets that mask."""
    x, kw = s.input, dict(s.kwargs)
    out = F.dropout(x, **kw)
    p, training = kw.get("p", 0.5), kw.get("training", True)
    mask = None
    if training:
        (ones,) = torch.autograd.grad(out, x, torch.ones_like(out), retain_graph=True)
        mask = np.asarray(np_(ones) != 0).astype(np_(x.dtype))
    g = random_like(out, rng)
    (theirs,) = vjp(out, [x], g)
    return [
        Check("forward", out, lambda: scratch.dropout(np_(x), p, training, mask=mask)),
        Check("backward", theirs, lambda: scratch.dropout_backward(np_(g), np_(x), p, training, mask=mask)),
    ]


def bernoulli(s, rng, dtype, source):
    """``dropout_mask(shape, p)`` draws ``torch.bernoulli(full(shape, 1 - p))``: draws differ, so the
    checks are the dtype and shape of a draw, its values (0 or 1), and the mean of a large draw
    (within 6 standard deviations of 1 - p). A per-element probability becomes ``p=<array>``."""
    probs = s.input.detach()
    p = 1.0 - probs.item() if probs.ndim == 0 else 1.0 - np_(probs)
    n, draw = 20_000, torch.bernoulli(probs)
    q = probs.double().mean().item() if probs.numel() else 0.5
    spread = dict(rtol=0.0, atol=6 * math.sqrt(q * (1 - q) / n) + 1e-12)
    return [
        Check("draw", draw, lambda: scratch.dropout_mask(probs.shape, p, rng, np_(probs.dtype)), dict(rtol=0, atol=1)),
        Check(
            "draw is 0 or 1",
            np.ones(draw.shape, bool),
            lambda: np.isin(scratch.dropout_mask(probs.shape, p, rng), (0, 1)),
        ),
        Check(f"mean of {n}", np.float64(q), lambda: scratch.dropout_mask((n,), float(np.mean(p)), rng).mean(), spread),
    ]


def batch_norm(s, rng, dtype, source):
    """Running statistics: nnref updates its copies in place, as torch does; the backward gets the
    statistics as they were before the forward, and the forward's arguments by position."""
    x, (mean, var, weight, bias), kw = s.input, s.args, s.kwargs
    before = np_((mean, var))
    theirs_stats = tuple(None if a is None else a.clone() for a in (mean, var))
    out = F.batch_norm(x, *theirs_stats, weight, bias, **kw)

    def forward():
        stats = np_(before)
        return (scratch.batch_norm(np_(x), *stats, np_(weight), np_(bias), **kw), *stats)

    checks = [Check("forward, running_mean, running_var", (out, *theirs_stats), forward)]
    if out.requires_grad:
        g = random_like(out, rng)
        theirs = vjp(out, [x, weight, bias], g)
        ours = lambda: scratch.batch_norm_backward(np_(g), np_(x), *np_(before), np_(weight), np_(bias), **kw)  # noqa: E731
        checks.append(Check("backward", theirs, ours))
    return checks


def half_sse(s, rng, dtype, source):
    """mse_loss's samples without their ``reduction``: ``half_sse_loss`` is torch's
    ``0.5 * mse_loss(input, target, reduction="sum")``."""
    x, y = s.input, s.args[0]
    out = 0.5 * F.mse_loss(x, y, reduction="sum")
    g = random_like(out, rng)
    (theirs,) = vjp(out, [x], g)
    return [
        Check("forward", out, lambda: scratch.half_sse_loss(np_(x), np_(y))),
        Check("backward", theirs, lambda: scratch.half_sse_loss_backward(np_(g), np_(x), np_(y))),
    ]


def conv2d(s, rng, dtype, source):
    """conv2d and its backward, and conv2d_loop (forward only) on the same sample."""
    checks = functional(F.conv2d, scratch.conv2d, scratch.conv2d_backward)(s, rng, dtype, source)
    args = np_((s.input, *s.args))
    return [*checks, Check("conv2d_loop", checks[0].theirs, lambda: scratch.conv2d_loop(*args, **np_(s.kwargs)))]


def conv_output_size(s, rng, dtype, source):
    """``nn.Conv2d``'s samples: the module's output height and width, from its own arguments."""
    m = build(s, source).to(dtype)
    x = s.forward_input.args[0]
    theirs = np.array(m(x).shape[-2:])
    pad = m.padding if isinstance(m.padding, str) else None

    def ours():
        return np.array(
            [
                scratch.conv_output_size(
                    x.shape[-2 + a], m.kernel_size[a], m.stride[a], pad or m.padding[a], m.dilation[a]
                )
                for a in (0, 1)
            ]
        )

    return [Check("output size", theirs, ours)]


def fold(s, rng, dtype, source):
    """unfold's samples: fold of random columns against ``F.fold``, and the same fold as unfold's
    backward (fold is unfold's adjoint) against autograd."""
    x, args = s.input, s.args
    cols = F.unfold(x, *args, **s.kwargs)
    g = random_like(cols, rng)
    size = tuple(x.shape[-2:])
    ours = lambda: scratch.fold(np_(g), size, *args, **s.kwargs)  # noqa: E731
    return [
        Check("forward", F.fold(g, size, *args, **s.kwargs), ours),
        Check("unfold's backward", vjp(cols, [x], g)[0], ours),
    ]


def build(s, source):
    """The torch module of a module_db sample, its weights drawn from a fixed seed."""
    torch.manual_seed(0)
    return getattr(torch.nn, source.name)(*s.constructor_input.args, **s.constructor_input.kwargs)


def cell(kind):
    """nn.RNNCell / LSTMCell / GRUCell against rnn_cell (and rnn_cell_backward), lstm_cell, gru_cell,
    with the module's four parameters."""

    def adapt(s, rng, dtype, source):
        m = build(s, source).to(dtype)
        params = [getattr(m, n) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        x, hx = s.forward_input.args[0], s.forward_input.args[1] if len(s.forward_input.args) > 1 else None
        out = m(x, hx)
        kw = {"nonlinearity": m.nonlinearity} if kind == "rnn" else {}
        ours_fn = {"rnn": scratch.rnn_cell, "lstm": scratch.lstm_cell, "gru": scratch.gru_cell}[kind]
        checks = [Check("forward", out, lambda: ours_fn(np_(x), np_(hx), *np_(params), **kw))]
        if kind == "rnn":
            g = random_like(out, rng)
            theirs = vjp(out, [x, hx, *params], g)
            ours = lambda: scratch.rnn_cell_backward(np_(g), np_(x), np_(hx), *np_(params), **kw)  # noqa: E731
            checks.append(Check("rnn_cell_backward", theirs, ours))
        return checks

    return adapt


def sequence(kind):
    """nn.RNN / LSTM / GRU against rnn, lstm, gru with the module's state_dict; for nn.RNN also the
    backward, from nnref's one-layer BPTT (:func:`bptt`)."""

    def adapt(s, rng, dtype, source):
        m = build(s, source).to(dtype)
        args = s.forward_input.args
        x, hx = args[0], args[1] if len(args) > 1 else None
        out, h_n = m(x, hx)
        sd = np_(dict(m.state_dict()))
        kw = dict(num_layers=m.num_layers, bidirectional=m.bidirectional, batch_first=m.batch_first)
        if kind == "rnn":
            kw["nonlinearity"] = m.nonlinearity
        ours_fn = {"rnn": scratch.rnn, "lstm": scratch.lstm, "gru": scratch.gru}[kind]
        checks = [Check("forward", (out, h_n), lambda: ours_fn(np_(x), np_(hx), sd, **kw))]
        if kind == "rnn":
            g = random_like((out, h_n), rng)
            theirs = vjp((out, h_n), [x, hx, *m.parameters()], g)
            checks.append(
                Check("backward (rnn_forward/rnn_backward)", theirs, lambda: bptt(np_(g), np_(x), np_(hx), sd, **kw))
            )
        return checks

    return adapt


def bptt(grads, x, h0, sd, num_layers, bidirectional, batch_first, nonlinearity):
    """nn.RNN's backward built from ``rnn_forward``/``rnn_backward``, which run one layer in one
    direction on ``(T, B, I)``: layer by layer, the reverse direction on the reversed sequence.
    Returns the gradients of ``x``, ``h0`` (None when not given) and the parameters, in order."""
    grad_out, grad_hn = grads
    unbatched = x.ndim == 2

    def tbi(a):  # (T, I) or (B, T, I) -> (T, B, I)
        return a[:, None] if unbatched else a.swapaxes(0, 1) if batch_first else a

    D, H = 1 + bidirectional, sd["weight_hh_l0"].shape[1]
    seq, grad_out = tbi(x), tbi(grad_out)
    if h0 is None:
        h_start = np.zeros((num_layers * D, seq.shape[1], H), x.dtype)
    else:  # h0 is (num_layers * D, B, H) even with batch_first; (num_layers * D, H) unbatched
        h_start = h0[:, None] if unbatched else h0
    grad_hn = grad_hn[:, None] if unbatched else grad_hn
    names = [
        f"{n}_l{layer}{'_reverse' * d}"
        for layer in range(num_layers)
        for d in range(D)
        for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    caches = []
    for layer in range(num_layers):
        outs = []
        for d in range(D):
            k = layer * D + d
            params = [sd.get(n) for n in names[4 * k : 4 * k + 4]]
            out, cache = scratch.rnn_forward(seq[::-1] if d else seq, h_start[k], *params, nonlinearity=nonlinearity)
            caches.append(cache)
            outs.append(out[::-1] if d else out)
        seq = np.concatenate(outs, axis=-1)
    by_name, grad_h0 = {}, [None] * (num_layers * D)
    g = grad_out
    for layer in reversed(range(num_layers)):
        g_below = 0
        for d in range(D):
            k = layer * D + d
            g_dir = g[..., d * H : (d + 1) * H]
            r = scratch.rnn_backward(g_dir[::-1] if d else g_dir, caches[k], grad_h_n=grad_hn[k])
            g_below = g_below + (r["input"][::-1] if d else r["input"])
            grad_h0[k] = r["h0"]
            by_name |= {n: r[n.split("_l")[0]] for n in names[4 * k : 4 * k + 4] if n in sd}
        g = g_below
    grad_x = g[:, 0] if unbatched else g.swapaxes(0, 1) if batch_first else g
    grad_h0 = None if h0 is None else np.stack(grad_h0)[:, 0] if unbatched else np.stack(grad_h0)
    return [grad_x, grad_h0, *(by_name[n] for n in sd)]


def mlp2(s, rng, dtype, source):
    """nn.Linear's samples as the first layer of ``Sequential(Linear(I, O), Sigmoid, Linear(O, I),
    Sigmoid)``, against mlp2_forward and mlp2_backward."""
    first = build(s, source)
    second = torch.nn.Linear(first.out_features, first.in_features, bias=first.bias is not None)
    net = torch.nn.Sequential(first, torch.nn.Sigmoid(), second, torch.nn.Sigmoid()).to(dtype)
    x = mlp2_input(s)
    out = net(x)
    params = [first.weight, first.bias, second.weight, second.bias]
    g = random_like(out, rng)
    theirs = vjp(out, [x, *params], g)

    def ours():
        a2, cache = scratch.mlp2_forward(np_(x), *np_(params))
        grads = scratch.mlp2_backward(np_(g), cache)
        return a2, [grads[n] for n in ("x", "W1", "b1", "W2", "b2")]

    return [Check("forward, backward", (out, theirs), ours)]


def optimizer(name):
    """An optim_db input (the constructor's keyword arguments) on two parameters, (4, 3) and (3,),
    for OPTIMIZER_STEPS steps with seeded random gradients: the parameters after every step."""

    def adapt(s, rng, dtype, source):
        np_dtype = np_(dtype)
        init = [rng.standard_normal(shape).astype(np_dtype) for shape in ((4, 3), (3,))]
        grads = [[rng.standard_normal(p.shape).astype(np_dtype) for p in init] for _ in range(OPTIMIZER_STEPS)]
        params = [torch.tensor(p, requires_grad=True) for p in init]
        opt, theirs = getattr(torch.optim, name)(params, **s.kwargs), []
        for step in grads:
            for p, g in zip(params, step, strict=True):
                p.grad = torch.from_numpy(g.copy())
            opt.step()
            theirs += [p.detach().clone() for p in params]

        def ours():
            arrays = [p.copy() for p in init]
            nnref_opt, result = getattr(scratch, name)(arrays, **np_(s.kwargs)), []
            for step in grads:
                nnref_opt.step(step)
                result += [p.copy() for p in arrays]
            return result

        return [Check(f"parameters after each of {OPTIMIZER_STEPS} steps", theirs, ours)]

    return adapt


def gradcheck(s, rng, dtype, source):
    """tanh's and sigmoid's samples: ``numerical_gradient`` of ``sum(g * op(x))`` (nnref's op; it
    works in float64 whatever x's dtype) against torch's gradient in float64, and ``gradcheck`` of
    that gradient, which passes, as ``torch.autograd.gradcheck`` of the op does."""
    ours_fn, torch_fn = {"tanh": (scratch.tanh, torch.tanh), "sigmoid": (scratch.sigmoid, torch.sigmoid)}[source.name]
    x = s.input.detach().double().requires_grad_()
    g = random_like(torch_fn(x), rng)
    (theirs,) = torch.autograd.grad(torch_fn(x), x, g)
    f = lambda a: float(np.sum(np_(g) * ours_fn(a)))  # noqa: E731
    checks = [
        Check("numerical_gradient", theirs, lambda: scratch.numerical_gradient(f, np_(s.input)), FINITE_DIFFERENCES)
    ]
    if dtype == torch.float64:
        passed = np.bool_(torch.autograd.gradcheck(torch_fn, (x,)))
        checks.append(Check("gradcheck", passed, lambda: np.bool_(scratch.gradcheck(f, np_(x), np_(theirs)))))
    return checks


# ---- which samples each row of the table runs on --------------------------------------------------


class Entry(NamedTuple):
    sources: tuple[Source, ...]
    adapt: Callable  # (sample, rng, dtype, source) -> list[Check]
    # how to recognise each unsupported feature that the row's `unsupported:` names, in a sample
    uses: dict[str, Callable[[Any], bool]] = {}
    every: int = 1  # run every n-th sample (a fixed subsample)


def op(name, variant=""):
    return Source("op", name, variant)


def pooling_kwarg(name, position):
    return lambda s: s.kwargs[name] if name in s.kwargs else s.args[position] if len(s.args) > position else None


def mlp2_input(s):
    fi = s.forward_input
    return fi.args[0] if fi.args else fi.kwargs["input"]


NO_DTYPE = {"dtype=...": lambda s: "dtype" in s.kwargs, "input.ndim == 0": lambda s: s.input.ndim == 0}
UNBATCHED_IMAGE = {"input.ndim == 3": lambda s: s.input.ndim == 3}
MAXIMIZE = {"maximize=True": lambda s: bool(s.kwargs.get("maximize"))}
LOSS = dict(grads_of=1)  # a loss's backward returns the input's gradient only

ENTRIES = {
    "linear": Entry((op("nn.functional.linear"),), functional(F.linear, scratch.linear, scratch.linear_backward)),
    "relu": Entry((op("nn.functional.relu"),), functional(F.relu, scratch.relu, scratch.relu_backward)),
    "sigmoid": Entry((op("sigmoid"),), functional(torch.sigmoid, scratch.sigmoid, scratch.sigmoid_backward)),
    "tanh": Entry((op("tanh"),), functional(torch.tanh, scratch.tanh, scratch.tanh_backward)),
    "gelu": Entry((op("nn.functional.gelu"),), functional(F.gelu, scratch.gelu, scratch.gelu_backward)),
    "softmax": Entry(
        (op("softmax"), op("softmax", "with_dtype")),
        functional(F.softmax, scratch.softmax, scratch.softmax_backward),
        NO_DTYPE,
    ),
    "log_softmax": Entry(
        (op("log_softmax"), op("log_softmax", "with_dtype")),
        functional(F.log_softmax, scratch.log_softmax, scratch.log_softmax_backward),
        NO_DTYPE,
    ),
    "dropout": Entry((op("nn.functional.dropout"),), dropout),
    "dropout_mask": Entry((op("bernoulli"),), bernoulli, {"p=<array>": lambda s: s.input.ndim > 0}),
    "batch_norm": Entry(
        (op("nn.functional.batch_norm"), op("nn.functional.batch_norm", "without_cudnn")),
        batch_norm,
        {"input.ndim == 1": lambda s: s.input.ndim == 1},
    ),
    "mse_loss": Entry(
        (op("nn.functional.mse_loss"),), functional(F.mse_loss, scratch.mse_loss, scratch.mse_loss_backward, **LOSS)
    ),
    "l1_loss": Entry(
        (op("nn.functional.l1_loss"),), functional(F.l1_loss, scratch.l1_loss, scratch.l1_loss_backward, **LOSS)
    ),
    "nll_loss": Entry(
        (op("nn.functional.nll_loss"),), functional(F.nll_loss, scratch.nll_loss, scratch.nll_loss_backward, **LOSS)
    ),
    "cross_entropy": Entry(
        (op("nn.functional.cross_entropy"),),
        functional(F.cross_entropy, scratch.cross_entropy, scratch.cross_entropy_backward, **LOSS),
    ),
    "binary_cross_entropy": Entry(
        (op("nn.functional.binary_cross_entropy"),),
        functional(F.binary_cross_entropy, scratch.binary_cross_entropy, scratch.binary_cross_entropy_backward, **LOSS),
    ),
    "binary_cross_entropy_with_logits": Entry(
        (op("nn.functional.binary_cross_entropy_with_logits"),),
        functional(
            F.binary_cross_entropy_with_logits,
            scratch.binary_cross_entropy_with_logits,
            scratch.binary_cross_entropy_with_logits_backward,
            **LOSS,
        ),
    ),
    "half_sse_loss": Entry((op("nn.functional.mse_loss"),), half_sse),
    "conv2d": Entry(
        (op("nn.functional.conv2d"),),
        conv2d,
        {
            "padding='same'": lambda s: s.kwargs.get("padding") == "same",
            "padding='valid'": lambda s: s.kwargs.get("padding") == "valid",
            **UNBATCHED_IMAGE,
        },
    ),
    "conv_output_size": Entry(
        (Source("module", "Conv2d"),),
        conv_output_size,
        {"padding='same'": lambda s: s.constructor_input.kwargs.get("padding") == "same"},
    ),
    "unfold": Entry((op("nn.functional.unfold"),), functional(F.unfold, scratch.unfold)),
    "fold": Entry((op("nn.functional.unfold"),), fold),
    "max_pool2d": Entry(
        (op("nn.functional.max_pool2d"),),
        functional(F.max_pool2d, scratch.max_pool2d, scratch.max_pool2d_backward, grads_of=1),
        {"return_indices=True": lambda s: bool(s.kwargs.get("return_indices")), **UNBATCHED_IMAGE},
        every=7,
    ),
    "avg_pool2d": Entry(
        (op("nn.functional.avg_pool2d"),),
        functional(F.avg_pool2d, scratch.avg_pool2d, scratch.avg_pool2d_backward, grads_of=1),
        {"divisor_override <= 0": lambda s: (pooling_kwarg("divisor_override", 5)(s) or 1) <= 0},
    ),
    "rnn_cell": Entry((Source("module", "RNNCell"),), cell("rnn")),
    "lstm_cell": Entry((Source("module", "LSTMCell"),), cell("lstm")),
    "gru_cell": Entry((Source("module", "GRUCell"),), cell("gru")),
    "rnn": Entry((Source("module", "RNN"),), sequence("rnn")),
    "lstm": Entry(
        (Source("module", "LSTM"),),
        sequence("lstm"),
        {"proj_size > 0": lambda s: s.constructor_input.kwargs.get("proj_size", 0) > 0},
    ),
    "gru": Entry((Source("module", "GRU"),), sequence("gru")),
    "mlp2_forward": Entry((Source("module", "Linear"),), mlp2, {"x.ndim == 1": lambda s: mlp2_input(s).ndim == 1}),
    **{
        name: Entry((Source("optim", name),), optimizer(name), MAXIMIZE)
        for name in ("SGD", "Adagrad", "RMSprop", "Adam", "AdamW")
    },
    "numerical_gradient": Entry((op("tanh"), op("sigmoid")), gradcheck),
}


def unsupported(row: dict) -> dict[str, str]:
    """The row's ``unsupported:`` list as ``{feature: what the refusal must say}``."""
    return {u["feature"]: u["says"] for u in row.get("unsupported", [])}


# ---- the tests -----------------------------------------------------------------------------------


def run_sample(entry, table, source, sample, index, dtype, worst) -> tuple[str, list[str]]:
    """``("matched" | "refused" | "failing", problems)`` for one sample."""
    used = [feature for feature, uses in entry.uses.items() if uses(sample)]
    rng = np.random.default_rng(index)
    checks = entry.adapt(sample, rng, dtype, source)
    if used:
        try:
            checks[0].ours()
        except REFUSALS as err:
            says = [table[f] for f in used]
            if any(s in str(err) for s in says):
                return "refused", []
            return "failing", [
                f"refused ({type(err).__name__}: {err}), but the message does not say {' or '.join(map(repr, says))}"
            ]
        except Exception as err:  # noqa: BLE001 - any other error is a failure to report
            return "failing", [f"{', '.join(used)}: raised {type(err).__name__}: {err}"]
        return "failing", [f"nnref accepts {', '.join(used)}, which the table lists as unsupported"]
    problems = []
    for check in checks:
        try:
            got = check.ours()
        except Exception as err:  # noqa: BLE001
            problems.append(f"{check.what}: {type(err).__name__}: {err}")
            break
        if check.tol is None:  # the dtype's tolerance; the worst error is recorded for these only
            problems += compare(check.what, got, check.theirs, TOL[str(dtype).removeprefix("torch.")], worst)
        else:  # a statistical or finite-difference check, with its own tolerance
            problems += compare(check.what, got, check.theirs, check.tol, {"abs": 0.0, "ratio": 0.0})
    return ("failing" if problems else "matched"), problems


@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("row", list(ROWS))
def test_torch_samples(db, row, dtype):
    """Every sample of the row's sources either matches torch or is refused as the table says."""
    assert row in ENTRIES, (
        f"torch-mirrors.yml row {ROWS[row]['nnref']} has no entry in ENTRIES: give it torch's samples"
    )
    entry, table = ENTRIES[row], unsupported(ROWS[row])
    worst = {"abs": 0.0, "ratio": 0.0}
    counts = {"matched": 0, "refused": 0, "failing": 0}
    failures, features_seen = [], set()
    for source in entry.sources:
        for index, sample in enumerate(db.samples(source, DTYPES[dtype])):
            if index % entry.every:
                continue
            features_seen |= {f for f, uses in entry.uses.items() if uses(sample)}
            outcome, problems = run_sample(entry, table, source, sample, index, DTYPES[dtype], worst)
            counts[outcome] += 1
            failures += [
                f"{source.name}{'/' + source.variant if source.variant else ''} #{index} {describe(sample)}: {p}"
                for p in problems
            ]
    RESULTS[row, dtype] = {**counts, **worst}
    assert not failures, (
        f"{len(failures)} problems in {counts['failing']} of {sum(counts.values())} samples:\n" + "\n".join(failures)
    )
    assert counts["matched"], "no sample matched: the row is not tested at all"
    unseen = set(table) - features_seen
    assert not unseen, f"the table lists {sorted(unseen)} as unsupported, but no sample of {row} uses it"


def test_every_table_feature_has_a_recognizer_and_every_entry_a_row():
    """ENTRIES and the table agree: no entry for a row that is gone, and each unsupported feature in
    the table is one the suite can recognise in a sample (and the other way round)."""
    assert not set(ENTRIES) - set(ROWS), (
        f"ENTRIES for rows that torch-mirrors.yml no longer has: {set(ENTRIES) - set(ROWS)}"
    )
    for row, entry in ENTRIES.items():
        assert set(entry.uses) == set(unsupported(ROWS[row])), (
            f"{row}: the suite recognises {sorted(entry.uses)}, the table lists {sorted(unsupported(ROWS[row]))}"
        )


class FakeSample(NamedTuple):
    input: Any
    args: tuple = ()
    kwargs: dict = {}


def test_the_peer_suite_can_fail():
    """A silent mismatch, a wrong gradient or dtype, an error the table does not list, a refusal
    that does not say the feature, a listed feature accepted: each is a failing sample."""
    x = torch.linspace(-2, 2, 5, dtype=torch.float64, requires_grad=True)

    def outcome(ours, backward=scratch.tanh_backward, uses=None, table=None):
        entry = Entry((), functional(torch.tanh, ours, backward), uses or {})
        worst = {"abs": 0.0, "ratio": 0.0}
        return run_sample(entry, table or {}, None, FakeSample(x), 0, torch.float64, worst)[0]

    def refuse(a):
        raise ValueError("x is not supported")

    listed = {"x": lambda s: True}
    assert outcome(scratch.tanh) == "matched"
    assert outcome(lambda a: scratch.tanh(a) + 1e-9) == "failing"
    assert outcome(scratch.tanh, lambda g, a: g) == "failing"
    assert outcome(lambda a: scratch.tanh(a).astype(np.float32)) == "failing"
    assert outcome(refuse) == "failing"
    assert outcome(refuse, None, listed, {"x": "x is not"}) == "refused"
    assert outcome(refuse, None, listed, {"x": "something else"}) == "failing"
    assert outcome(scratch.tanh, None, listed, {"x": "x is not"}) == "failing"


X4, W4, X3 = np.ones((1, 2, 6, 6)), np.ones((3, 2, 3, 3)), np.ones((2, 6, 6))
REFUSED = {  # the refusals nnref.scratch.conv adds for torch's features: the error and what it says
    "conv2d unbatched": (lambda: scratch.conv2d(X3, W4), ValueError, r"got shape \(2, 6, 6\): an unbatched"),
    "conv2d_loop unbatched": (lambda: scratch.conv2d_loop(X3, W4), ValueError, "unbatched"),
    "unfold unbatched": (lambda: scratch.unfold(X3, 2), ValueError, r"input must have 4 dimensions, got shape"),
    "max_pool2d unbatched": (lambda: scratch.max_pool2d(X3, 2), ValueError, r"input\[None\]"),
    "conv2d padding='same'": (lambda: scratch.conv2d(X4, W4, padding="same"), NotImplementedError, "padding='same'"),
    "conv2d_backward padding='valid'": (
        lambda: scratch.conv2d_backward(1.0, X4, W4, padding="valid"),
        NotImplementedError,
        "'valid' is padding=0",
    ),
    "conv_output_size padding='same'": (
        lambda: scratch.conv_output_size(6, 3, padding="same"),
        NotImplementedError,
        "padding='same' is not supported",
    ),
    "max_pool2d return_indices": (
        lambda: scratch.max_pool2d(X4, 2, return_indices=True),
        NotImplementedError,
        "return_indices=True",
    ),
    "max_pool2d_backward return_indices": (
        lambda: scratch.max_pool2d_backward(1.0, X4, 2, return_indices=True),
        NotImplementedError,
        "return_indices=True",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refusals_name_the_feature(case):
    call, error, says = REFUSED[case]
    with pytest.raises(error, match=says):
        call()


def test_what_torch_reads_as_the_same_is_the_same():
    """A one-element tuple is the number for both axes, as torch reads it; return_indices=False
    (the default) and a stride of () (the kernel size) are accepted."""
    x = np.random.default_rng(0).normal(size=(1, 2, 7, 7))
    same = np.testing.assert_array_equal
    same(scratch.conv2d(x, W4, None, (2,), (1,), (1,)), scratch.conv2d(x, W4, None, 2, 1, 1))
    same(scratch.avg_pool2d(x, (3,), (), (1,)), scratch.avg_pool2d(x, 3, 3, 1))
    same(scratch.max_pool2d(x, 2, return_indices=False), scratch.max_pool2d(x, 2))
    same(scratch.unfold(x, (2,), padding=(1,)), scratch.unfold(x, 2, padding=1))


def test_zz_report():
    """The numbers for the record (pytest -s shows them): per row and dtype, samples matched /
    refused / failing and the worst |ours - torch|; the worst error per dtype over all rows."""
    print(f"\n{'row':34s} {'dtype':8s} {'match':>5s} {'refuse':>6s} {'fail':>4s} {'worst |diff|':>12s} {'x tol':>7s}")
    for (row, dtype), r in RESULTS.items():
        print(
            f"{row:34s} {dtype:8s} {r['matched']:5d} {r['refused']:6d} {r['failing']:4d} {r['abs']:12.2e} {r['ratio']:7.1e}"
        )
    for dtype in DTYPES:
        rows = [(r["abs"], row) for (row, d), r in RESULTS.items() if d == dtype]
        if rows:
            print(f"worst {dtype}: {max(rows)[0]:.2e} ({max(rows)[1]})")
