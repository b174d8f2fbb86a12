"""nnref.autograd against torch (float64): every op, constants on both sides, reuse, deep chains."""

import gc
import math
import random
from functools import partial

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nnref.autograd import MLP, Dual, Value, forward_gradient, jvp, to_mermaid, topological_order

pytestmark = [pytest.mark.spread, pytest.mark.long]  # many tests, each independent of the others
tensor = partial(torch.tensor, dtype=torch.float64)  # float64 without touching global defaults


def leaves(*xs):
    return [Value(x) for x in xs], [tensor(x, requires_grad=True) for x in xs]


# (name, Value function, torch function) of one or two arguments
UNARY = {
    "neg": (lambda a: -a, lambda a: -a),
    "exp": (lambda a: a.exp(), torch.exp),
    "log": (lambda a: a.log(), torch.log),
    "tanh": (lambda a: a.tanh(), torch.tanh),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid),
    "relu": (lambda a: a.relu(), torch.relu),
    "pow2": (lambda a: a**2, lambda a: a**2),
    "pow3": (lambda a: a**3, lambda a: a**3),
    "pow-1.5": (lambda a: a**-1.5, lambda a: a**-1.5),
    "pow0.5": (lambda a: a**0.5, lambda a: a**0.5),
    "radd": (lambda a: 2.5 + a, lambda a: 2.5 + a),
    "rsub": (lambda a: 2.5 - a, lambda a: 2.5 - a),
    "rmul": (lambda a: 2.5 * a, lambda a: 2.5 * a),
    "rtruediv": (lambda a: 2.5 / a, lambda a: 2.5 / a),
    "add_c": (lambda a: a + 2.5, lambda a: a + 2.5),
    "sub_c": (lambda a: a - 2.5, lambda a: a - 2.5),
    "mul_c": (lambda a: a * 2.5, lambda a: a * 2.5),
    "div_c": (lambda a: a / 2.5, lambda a: a / 2.5),
    "int_const": (lambda a: 3 * a + 1, lambda a: 3 * a + 1),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", [0.7, 1.9, -0.4])
def test_unary_matches_torch(name, x):
    if name in {"log", "pow-1.5", "pow0.5"} and x <= 0:
        pytest.skip("outside the domain")
    f_value, f_torch = UNARY[name]
    (a,), (ta,) = leaves(x)
    out, tout = f_value(a), f_torch(ta)
    upstream = 1.7  # a non-trivial upstream gradient: backprop (1.7 * out)
    (out * upstream).backward()
    (tout * upstream).backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12, abs=1e-14)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_torch(name):
    f_value, f_torch = BINARY[name]
    (a, b), (ta, tb) = leaves(1.3, -0.6)
    out, tout = f_value(a, b), f_torch(ta, tb)
    (out * -0.9).backward()
    (tout * -0.9).backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_seed_004_example():
    x, w, b = Value(2.0), Value(3.0), Value(1.0)
    loss = (w * x + b - 5) ** 2
    loss.backward()
    assert (loss.data, x.grad, w.grad, b.grad) == (4.0, 12.0, 8.0, 4.0)


def test_reuse_accumulates_both_paths():
    a = Value(3.0)
    y = a * a + a  # dy/da = 2a + 1 = 7
    y.backward()
    assert a.grad == 7.0
    b = Value(-2.0)
    z = b + b  # same object on both sides of one op
    z.backward()
    assert b.grad == 2.0


def test_relu_derivative_at_zero_is_zero_like_torch():
    a, ta = Value(0.0), tensor(0.0, requires_grad=True)
    a.relu().backward()
    torch.relu(ta).backward()
    assert a.grad == ta.grad.item() == 0.0


def test_backward_twice_accumulates_leaf_grads_like_torch():
    (a, b), (ta, tb) = leaves(0.5, -1.5)
    out = (a * b).tanh() + a
    tout = torch.tanh(ta * tb) + ta
    out.backward()
    out.backward()
    tout.backward(retain_graph=True)
    tout.backward()
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_chain_of_100k_nodes_has_no_recursion_error():
    x = Value(0.3)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    assert len(topological_order(y)) > 300_000


def test_bad_inputs_raise():
    with pytest.raises(TypeError, match="data"):
        Value("1")
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="log"):
        Value(-1.0).log()
    with pytest.raises(TypeError):
        Value(1.0) + "x"


def test_power_of_a_negative_base():
    # integer exponents of negatives are real numbers: value and gradient as in torch
    for base, n in [(-2.0, 3), (-2.0, 2.0), (-2.0, -1), (-0.5, -2.0)]:
        (a,), (ta,) = leaves(base)
        (a**n).backward()
        (ta**n).backward()
        assert (a**n).data == pytest.approx((ta**n).item(), rel=1e-12)
        assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    # a real power of a negative base is not a real number (torch says nan)
    with pytest.raises(ValueError, match=r"negative base needs an integer exponent.*\(-8\)"):
        Value(-8) ** (1 / 3)
    with pytest.raises(ValueError, match="integer exponent"):
        Value(-0.1) ** 0.5
    assert (Value(0.0) ** 0.5).data == 0.0 and (Value(8.0) ** (1 / 3)).data == pytest.approx(2.0)


def test_values_compare_as_nodes_and_refuse_ordering():
    """``==``/``hash`` are identity (a Value is a graph node); ``<`` and friends raise."""
    a, b = Value(2.0), Value(2.0)
    assert a == a and a != b and not (a == 2.0)
    assert len({a, b, a}) == 2 and {a: 1}[a] == 1
    for compare in (
        lambda: a < b,
        lambda: a <= b,
        lambda: a > b,
        lambda: a >= b,
        lambda: a < 1.0,
        lambda: 1.0 < a,
        lambda: sorted([b, a]),
    ):
        with pytest.raises(TypeError, match=r"compare their \.data"):
            compare()
    assert a.data < Value(3.0).data


def moons_accuracy_run(seed, max_steps=100):
    """micrograd's demo: make_moons(100, noise=0.1), MLP 2-16-16-1, SVM max-margin loss + 1e-4 L2,
    SGD with lr = 1 - 0.9 k/100. Returns the first step whose forward pass classifies every point
    right (None if none of the ``max_steps`` does)."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=100, noise=0.1, random_state=seed)
    X, y = X.tolist(), (2 * y - 1).tolist()
    model = MLP(2, [16, 16, 1], seed=seed)
    params = model.parameters()
    for k in range(max_steps):
        scores = [model(x) for x in X]
        if all((s.data > 0) == (t > 0) for s, t in zip(scores, y, strict=True)):
            return k
        hinge = sum(((1 - t * s).relu() for s, t in zip(scores, y, strict=True)), Value(0.0))
        loss = hinge / len(X) + 1e-4 * sum((p * p for p in params), Value(0.0))
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
    return None


@pytest.mark.slow  # ~2 s of CPU: 16 training steps of ~64,000 scalar nodes each
def test_default_mlp_solves_micrograd_moons_demo():
    """The default MLP (tanh, U(-1, 1) weights) reaches 100% training accuracy on micrograd's moons
    demo within its 100 steps: seed 0 at step 16 (measured once for seeds 0-29: all reach it, the
    last at step 60; the old fan-in-scaled init stopped at 93%, 99%, 91% for seeds 0, 1, 2). One
    seed keeps the suite fast; the step number has a wide margin below 100."""
    gc.disable()  # each step's graph is ~10^5 closures in cycles; the cyclic GC rescanning them
    try:  # while the graph grows costs several times the training itself
        step = moons_accuracy_run(seed=0)
    finally:
        gc.enable()
        gc.collect()
    assert step is not None and step <= 50, step


def test_to_mermaid_is_deterministic_and_complete():
    def build():
        x, w = Value(2.0, label="x"), Value(3.0, label="w")
        y = (w * x + 1).tanh()
        y.backward()
        return y

    text = to_mermaid(build())
    assert text == to_mermaid(build())
    assert text.startswith("flowchart LR")
    assert 'v0["w = 3.0000<br/>grad' in text
    assert text.count("((") == 3  # ops: *, +, tanh
    with pytest.raises(ValueError, match="direction"):
        to_mermaid(build(), direction="up")


# random expressions -------------------------------------------------------------------
# Each step combines existing nodes; domains are kept safe (log and pow of positive values).
STEPS = [
    ("add", 2),
    ("sub", 2),
    ("mul", 2),
    ("div", 2),
    ("exp", 1),
    ("log", 1),
    ("tanh", 1),
    ("sigmoid", 1),
    ("relu", 1),
    ("pow", 1),
    ("rconst", 1),
    ("neg", 1),
]


def apply_step(op, args, c):
    a = args[0]
    b = args[1] if len(args) > 1 else None
    if op == "add":
        return a + b
    if op == "sub":
        return c - a + b
    if op == "mul":
        return a * b * c
    if op == "div":
        return a / (b * b + 1.0)
    if op == "exp":
        return a.tanh().exp() if isinstance(a, Value) else torch.exp(torch.tanh(a))
    if op == "log":
        inner = a * a + c * c + 0.1
        return inner.log() if isinstance(a, Value) else torch.log(inner)
    if op == "tanh":
        return a.tanh() if isinstance(a, Value) else torch.tanh(a)
    if op == "sigmoid":
        return a.sigmoid() if isinstance(a, Value) else torch.sigmoid(a)
    if op == "relu":
        return (a - c).relu() if isinstance(a, Value) else torch.relu(a - c)
    if op == "pow":
        return (a * a + 1.0) ** c
    if op == "rconst":
        return c / (1.0 + a * a) - c * a
    if op == "neg":
        return -a
    raise AssertionError(op)


programs = st.lists(
    st.tuples(
        st.sampled_from(STEPS),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.floats(-1.5, 1.5).filter(lambda c: abs(c) > 0.05),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(xs=st.lists(st.floats(-2, 2), min_size=1, max_size=4), program=programs)
def test_random_expressions_match_torch(xs, program):
    values, tensors = leaves(*xs)
    nodes, tnodes = list(values), list(tensors)
    for (op, arity), i, j, c in program:
        picks = [i % len(nodes), j % len(nodes)][:arity]
        nodes.append(apply_step(op, [nodes[k] for k in picks], c))
        tnodes.append(apply_step(op, [tnodes[k] for k in picks], c))
    out = sum(nodes[len(xs) :], Value(0.0)) if len(nodes) > len(xs) else nodes[-1]
    tout = sum(tnodes[len(xs) :], tensor(0.0))
    out.backward()
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-9, abs=1e-12)
    for v, t in zip(values, tensors, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-9)


# forward mode -------------------------------------------------------------------------
def f_both(xs):
    x, y, z = xs
    out = (x * y).tanh() + (z / (1 + x * x)).exp() - 2 * y**3
    return out + (y * y + 1).log() + (x - 1).sigmoid()


def test_forward_mode_matches_reverse_mode_and_torch():
    point = [0.3, -0.8, 1.1]
    values = [Value(p) for p in point]
    f_both(values).backward()
    tensors = tensor(point, requires_grad=True)
    f_both(list(tensors)).backward()
    grad = forward_gradient(f_both, point)
    for g, v, t in zip(grad, values, tensors.grad, strict=True):
        assert g == pytest.approx(v.grad, rel=1e-12)
        assert g == pytest.approx(t.item(), rel=1e-12)
    out, tangent = jvp(f_both, point, [1.0, 2.0, -1.0])
    primal, tangent_in = (tensor(point),), (tensor([1.0, 2.0, -1.0]),)
    _, tv = torch.func.jvp(lambda t: f_both(list(t)), primal, tangent_in)
    assert tangent == pytest.approx(tv.item(), rel=1e-12)
    assert out == pytest.approx(f_both([Value(p) for p in point]).data)
    assert Dual(2.0, 1.0).relu().tangent == 1.0 and Dual(-2.0, 1.0).relu().tangent == 0.0
    assert (3 - Dual(2.0, 1.0)).tangent == -1.0 and (1 / Dual(2.0, 1.0)).tangent == -0.25


# networks -----------------------------------------------------------------------------
def test_mlp_matches_torch_and_is_seeded():
    model = MLP(3, [4, 4, 1], activation="tanh", seed=1)
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)
    again = MLP(3, [4, 4, 1], seed=1)
    assert [p.data for p in again.parameters()] == [p.data for p in model.parameters()]
    x = [0.5, -1.0, 2.0]
    out = model(x)
    (out * out).backward()
    weights = []
    for layer in model.layers:
        W = tensor([[w.data for w in n.w] for n in layer.neurons], requires_grad=True)
        b = tensor([n.b.data for n in layer.neurons], requires_grad=True)
        weights.append((W, b))
    h = tensor(x)
    for k, (W, b) in enumerate(weights):
        h = W @ h + b
        h = torch.tanh(h) if k < len(weights) - 1 else h
    (h[0] ** 2).backward()
    assert out.data == pytest.approx(h.item(), rel=1e-12)
    for layer, (W, b) in zip(model.layers, weights, strict=True):
        got = tensor([[w.grad for w in n.w] for n in layer.neurons])
        torch.testing.assert_close(got, W.grad, rtol=1e-12, atol=1e-14)
        torch.testing.assert_close(tensor([n.b.grad for n in layer.neurons]), b.grad)
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_mlp_learns_a_tiny_problem():
    rng = random.Random(0)
    data = [([rng.uniform(-1, 1), rng.uniform(-1, 1)]) for _ in range(16)]
    targets = [1.0 if a * b > 0 else -1.0 for a, b in data]
    model = MLP(2, [8, 1], seed=0)
    first = None
    for _ in range(80):
        squares = ((model(x) - t) ** 2 for x, t in zip(data, targets, strict=True))
        loss = sum(squares, Value(0.0)) / len(data)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.3 * p.grad
        first = first if first is not None else loss.data
    assert loss.data < 0.45 * first
    assert not math.isnan(loss.data)


def test_neuron_validates_input():
    with pytest.raises(ValueError, match="activation"):
        MLP(2, [2], activation="swish")
    with pytest.raises(ValueError, match="inputs"):
        MLP(2, [2, 1])([1.0, 2.0, 3.0])


# the numbers policy: a finite real number, or a clear error naming the op ---------------------
def _backward_of(make):
    return lambda: make().backward()


POLICY = [
    # (what, call, error, message): forward and backward of Value, then Dual
    ("0 ** -1", lambda: Value(0.0) ** -1, ValueError, r"0 \*\* -1 is not a real number"),
    ("1 / 0", lambda: Value(1.0) / 0, ValueError, r"division by zero: 1 / 0"),
    ("0 / 0", lambda: Value(0.0) / Value(0.0), ValueError, r"division by zero: 0 / 0"),
    ("exp(710)", lambda: Value(710.0).exp(), OverflowError, r"exp\(710\) is beyond the float range"),
    ("1e200 ** 2", lambda: Value(1e200) ** 2, OverflowError, r"\(1e\+200\) \*\* 2 is beyond"),
    ("1e308 * 10", lambda: Value(1e308) * 10, OverflowError, r"1e\+308 \* 10 = inf"),
    ("1e308 + 1e308", lambda: Value(1e308) + 1e308, OverflowError, r"1e\+308 \+ 1e\+308 = inf"),
    ("log(0)", lambda: Value(0.0).log(), ValueError, r"log needs a positive value, got log\(0\)"),
    ("(-8) ** (1/3)", lambda: Value(-8.0) ** (1 / 3), ValueError, r"negative base needs an integer exponent"),
    ("nan", lambda: Value(float("nan")), ValueError, r"finite real number, got nan"),
    ("inf", lambda: Value(math.inf), ValueError, r"finite real number, got inf"),
    ("grad of 0 ** 0.5", _backward_of(lambda: Value(0.0) ** 0.5), ValueError, r"slope of a \*\* 0.5 at a = 0"),
    ("grad of 1 / 1e-170", _backward_of(lambda: 1.0 / Value(1e-170)), OverflowError, r"gradient of a leaf.* -inf"),
    ("grad of x * 1e300 * 1e300", _backward_of(lambda: Value(1e-300) * 1e300 * 1e300), OverflowError, "gradient"),
    ("Dual 1 / 0", lambda: Dual(1.0) / 0, ValueError, r"division by zero: 1 / 0"),
    ("Dual exp(710)", lambda: Dual(710.0).exp(), OverflowError, r"exp\(710\)"),
    ("Dual 1e308 * 10", lambda: Dual(1e308) * 10, OverflowError, r"1e\+308 \* 10: the value"),
    ("Dual (-8) ** (1/3)", lambda: Dual(-8.0) ** (1 / 3), ValueError, r"negative base needs an integer exponent"),
    ("Dual 0 ** 0.5", lambda: Dual(0.0, 1.0) ** 0.5, ValueError, r"infinite slope"),
    ("Dual 0 ** -1", lambda: Dual(0.0) ** -1, ValueError, r"not a real number"),
    ("Dual 1e200 ** 2", lambda: Dual(1e200) ** 2, OverflowError, r"\(1e\+200\) \*\* 2 is beyond"),
    ("Dual log(0)", lambda: Dual(0.0).log(), ValueError, r"log\(0\)"),
    ("Dual nan", lambda: Dual(math.nan), ValueError, r"finite real numbers"),
]


@pytest.mark.parametrize(("what", "call", "error", "message"), POLICY, ids=[p[0] for p in POLICY])
def test_out_of_domain_and_overflow_raise_a_clear_error(what, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_edges_that_stay_finite_match_torch():
    """Where the exact answer is a finite number, Value and Dual give torch's answer, not an error."""
    a, ta = Value(0.0), tensor(0.0, requires_grad=True)
    (a**0).backward()
    (ta**0).backward()
    assert a.grad == ta.grad.item() == 0.0  # d(a^0)/da = 0, also at a = 0
    a, b = Value(1e-200), Value(1e200)  # the gradient of b underflows to 0 instead of dividing by b^2 = inf
    (a / b).backward()
    assert a.grad == pytest.approx(1e-200) and b.grad == 0.0
    assert Dual(-1000.0, 1.0).sigmoid().primal == 0.0  # no exp(1000) inside
    assert Value(-1000.0).sigmoid().data == 0.0
    assert (Dual(0.0, 1.0) ** 0).tangent == 0.0
