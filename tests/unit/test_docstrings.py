"""Docstrings that name a signature say what the code does.

1. A double-backtick span of a docstring that is a bare call of a function, class or method of the
   package, ``name(arg, ...)`` (optionally ``-> result``), is read as a claim about its parameters:
   the names must be the real ones, in order (after ``self``), and a parameter left out must have
   a default unless the list ends in ``...`` or a ``<placeholder>``. A span whose arguments are
   values (numbers, expressions, the package's own constants) is a call, not a claim.
2. ``nnref.scratch`` keeps its two backward conventions (its package docstring): every
   ``op_backward`` belongs to an ``op`` and takes ``grad_output`` followed by the op's
   arguments, with the same defaults; every ``name_backward`` of a ``name_forward`` takes
   ``(grad_output, cache)``, the cache and the gradients being dicts keyed by the forward's
   parameter names.
3. Claims about behaviour that no signature shows (which functions have no backward, the shapes
   that come out with ``batch_first``, a rounding, what a mask tests, what a seed fixes, what an
   evaluator raises): each is a fragment of a docstring paired with a check that runs the code, so
   the test fails when the code or the wording changes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest

import nnref.scratch as scratch
from nnref_docs.paths import ROOT

SRC = ROOT / "src"
SPAN = re.compile(r"``([^`]+)``")
CALL = re.compile(r"^\s*([A-Za-z_]\w*)\(([^()]*)\)(?:\s*->.*)?\s*$")
IDENTIFIER = re.compile(r"^\*{0,2}[A-Za-z_]\w*$")


# ---- 1. signatures named in docstrings ----------------------------------------------------------


def documented_parameters(args: str, scope: dict) -> tuple[list[str], bool] | None:
    """``"a, b=1, *, c"`` -> (["a", "b", "c"], closed); None when the span is a call with values.

    ``closed`` is False when the list ends in ``...`` or a ``<placeholder>`` (more may follow).
    """
    names = []
    for part in (p.strip() for p in args.split(",") if p.strip()):
        if part in ("...", "/", "*") or part.startswith("<"):
            if part in ("/", "*"):
                continue
            return names, False
        name = part.split("=")[0].strip()
        value = scope.get(name.lstrip("*"), [callable])[0]  # not in scope: stands for itself
        if not IDENTIFIER.match(name) or not (callable(value) or inspect.ismodule(value)):
            return None  # a literal, an expression or one of the module's constants: a call
        names.append(name.lstrip("*"))
    return names, True


def signature_problem(target, names: list[str], closed: bool) -> str | None:
    """Why ``target(names...)`` does not describe ``target``'s parameters, or None."""
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return None  # a builtin without a signature: nothing to compare
    params = [p for p in params if p.name not in ("self", "cls")]
    real = [p.name for p in params]
    if names != real[: len(names)]:
        return f"documents ({', '.join(names)}), the code takes ({', '.join(real)})"
    missing = [
        p.name
        for p in params[len(names) :]
        if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if closed and missing:
        return f"documents ({', '.join(names)}) but leaves out required {', '.join(missing)}"
    return None


def docstring_owners(module):
    """(docstring, scope) pairs: the module's, and those of the classes and functions it defines.

    A scope maps a name to what it may refer to: a class's attributes (inherited ones too) come
    first in its own docstrings; a name no scope holds may be a method of any of the module's
    classes (a base class's docstring naming its subclasses' hook, say), and must fit them all.
    """
    globals_ = {name: [obj] for name, obj in vars(module).items()}
    classes = [c for c in vars(module).values() if inspect.isclass(c) and c.__module__ == module.__name__]
    methods: dict[str, list] = {}
    for cls in classes:
        for name, attr in vars(cls).items():
            if inspect.isfunction(attr):
                methods.setdefault(name, []).append(attr)
    module_scope = {**methods, **globals_}
    yield module.__doc__ or "", module_scope
    for node in ast.parse(inspect.getsource(module)).body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name not in globals_:
            continue
        if isinstance(node, ast.FunctionDef):
            yield ast.get_docstring(node) or "", module_scope
            continue
        cls = globals_[node.name][0]
        scope = {**module_scope, **{n: [getattr(cls, n)] for n in dir(cls)}}
        yield ast.get_docstring(node) or "", scope
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                yield ast.get_docstring(item) or "", scope


def claims(docstring: str, scope: dict):
    """(span, target, names, closed) for every span that names a callable of the package (or a
    torch method it inherits), once per thing the name may refer to."""
    for span in SPAN.findall(docstring):
        match = CALL.match(span)
        if not match:
            continue
        parsed = documented_parameters(match.group(2), scope)
        if parsed is None:
            continue
        for target in scope.get(match.group(1), []):
            if callable(target) and (getattr(target, "__module__", None) or "").startswith(("nnref", "torch")):
                yield span, target, *parsed


def package_modules() -> list[str]:
    names = []
    for path in sorted((SRC / "nnref").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":
            names.append(".".join(parts))
    return names


@pytest.mark.parametrize("module_name", package_modules())
def test_signatures_in_docstrings_match_the_code(module_name):
    module = importlib.import_module(module_name)
    problems = []
    for docstring, scope in docstring_owners(module):
        for span, target, names, closed in claims(docstring, scope):
            problem = signature_problem(target, names, closed)
            if problem:
                problems.append(f"{module_name}: ``{span}`` {problem}")
    assert not problems, "\n".join(problems)


def test_the_docstring_signature_check_can_fail():
    def update(p, g, state, lr=0.1):
        """Runs ``update(i, p, g, state)``, ``update(p, g)``, ``update(p, g, state)``,
        ``update(p, ...)``, ``update(LIMIT, 2)`` and ``update(p, g, <more>)``."""

    scope = {"update": [update], "LIMIT": [3]}
    update.__module__ = "nnref.fake"
    found = {
        span: signature_problem(target, names, closed) for span, target, names, closed in claims(update.__doc__, scope)
    }
    assert found == {
        "update(i, p, g, state)": "documents (i, p, g, state), the code takes (p, g, state, lr)",
        "update(p, g)": "documents (p, g) but leaves out required state",
        "update(p, g, state)": None,
        "update(p, ...)": None,
        "update(p, g, <more>)": None,
    }  # update(LIMIT, 2) is a call with values, not a claim


# ---- 2. the backward conventions of nnref.scratch -----------------------------------------------

PUBLIC = {name: getattr(scratch, name) for name in scratch.__all__}
BACKWARDS = sorted(name for name in PUBLIC if name.endswith("_backward"))


def parameters(name):
    return list(inspect.signature(PUBLIC[name]).parameters.values())


def op_backward_problem(op, backward) -> str | None:
    """``backward`` takes ``grad_output`` and then ``op``'s arguments: its required ones first, in
    order, then any of the rest, in order, with the op's defaults and kinds."""
    forward = list(inspect.signature(op).parameters.values())
    params = list(inspect.signature(backward).parameters.values())
    if not params or params[0].name != "grad_output":
        return "does not start with grad_output"
    rest, by_name = params[1:], {p.name: p for p in forward}
    required = [p.name for p in forward if p.default is inspect.Parameter.empty]
    if [p.name for p in rest[: len(required)]] != required:
        return f"does not follow grad_output with the op's required arguments {required}"
    unknown = [p.name for p in rest if p.name not in by_name]
    if unknown:
        return f"takes {unknown}, which the op does not"
    order = [[p.name for p in forward].index(p.name) for p in rest]
    if order != sorted(order):
        return "takes the op's arguments in another order"
    changed = [p.name for p in rest if (p.default, p.kind) != (by_name[p.name].default, by_name[p.name].kind)]
    return f"changes the default or kind of {changed}" if changed else None


@pytest.mark.parametrize("name", BACKWARDS)
def test_every_backward_belongs_to_an_op_and_takes_its_arguments(name):
    base = name[: -len("_backward")]
    if f"{base}_forward" in PUBLIC:  # the cache convention
        assert [p.name for p in parameters(name)][:2] == ["grad_output", "cache"], name
    else:
        assert base in PUBLIC, f"{name} has no op {base} (nor {base}_forward) in nnref.scratch"
        problem = op_backward_problem(PUBLIC[base], PUBLIC[name])
        assert problem is None, f"{name}: {problem}"


def test_every_forward_has_its_backward():
    forwards = [n for n in PUBLIC if n.endswith("_forward")]
    assert forwards, "the cache convention has no pair left: update the package docstring"
    assert [n for n in forwards if n.replace("_forward", "_backward") not in PUBLIC] == []


def test_the_op_backward_check_can_fail():
    def op(input, weight, bias=None, *, scale=1.0):
        """An op."""

    def good(grad_output, input, weight, *, scale=1.0):
        """Leaves out bias: fine, it is optional."""

    def bad(grad_output, weight, input):
        """Swapped."""

    def default(grad_output, input, weight, *, scale=2.0):
        """Another default."""

    def mask(grad_output, mask, input, weight):
        """A mask in place of the forward's arguments."""

    assert op_backward_problem(op, good) is None
    assert "required arguments ['input', 'weight']" in op_backward_problem(op, bad)
    assert op_backward_problem(op, default) == "changes the default or kind of ['scale']"
    assert "required arguments" in op_backward_problem(op, mask)


def cache_pair_inputs():
    rng = np.random.default_rng(0)
    mlp2 = dict(
        x=rng.normal(size=(3, 2)),
        W1=rng.normal(size=(4, 2)),
        b1=rng.normal(size=4),
        W2=rng.normal(size=(1, 4)),
        b2=rng.normal(size=1),
    )
    rnn = dict(
        input=rng.normal(size=(5, 3, 2)),
        h0=rng.normal(size=(3, 4)),
        weight_ih=rng.normal(size=(4, 2)),
        weight_hh=rng.normal(size=(4, 4)),
        bias_ih=rng.normal(size=4),
        bias_hh=rng.normal(size=4),
    )
    return {"mlp2": mlp2, "rnn": rnn}


@pytest.mark.parametrize("name", ["mlp2", "rnn"])
def test_cache_pairs_share_one_convention(name):
    args = cache_pair_inputs()[name]
    output, cache = PUBLIC[f"{name}_forward"](**args)
    assert isinstance(cache, dict)
    assert all(cache[k] is v for k, v in args.items()), "the cache holds the arguments by name"
    grads = PUBLIC[f"{name}_backward"](np.ones_like(output), cache)
    assert isinstance(grads, dict)
    for key, value in args.items():
        assert grads[key].shape == value.shape, f"{name}_backward: gradient of {key}"


# ---- 3. claims about behaviour, checked by running the code -------------------------------------
#
# A docstring's claim about what the code does (which functions have no backward, what shape comes
# out, what a mask tests, what a seed fixes) is a line of text the signature check above cannot
# read. Each claim below names the docstring, a fragment of it that states the claim, and a check
# that runs the code; the test fails when the code stops doing what the fragment says, and when the
# fragment is reworded (then reread the claim and update the check with it).


def no_backward_named_in_the_package_docstring():
    """Every public function of nnref.scratch without a backward (and not a forward of the cache
    convention) is named in the package docstring's paragraph about them, and nothing else is."""
    doc = scratch.__doc__
    paragraph = doc[doc.index("Some public functions have no backward") :].split("\n\n")[0]
    named = set(SPAN.findall(paragraph))
    public = set(scratch.__all__)
    without = {n for n in public if not n.endswith(("_backward", "_forward")) and f"{n}_backward" not in public}
    assert named == without, f"named but have a backward: {named - without}; not named: {without - named}"


def rnn_output_shapes():
    """rnn, lstm and gru give (T, B, D*H), (B, T, D*H) with batch_first, (T, D*H) unbatched; the
    states are (L*D, B, H) in every batched layout."""
    import torch

    from nnref.scratch import gru, lstm, rnn

    T, B, I, H = 5, 3, 2, 4  # noqa: E741 - the shapes of torch.nn.RNN
    modules = {rnn: torch.nn.RNN, lstm: torch.nn.LSTM, gru: torch.nn.GRU}
    for function, module in modules.items():
        net = module(I, H, num_layers=2, bidirectional=True)
        state = {k: v.detach().numpy() for k, v in net.state_dict().items()}
        for batch_first, shape, want in [(False, (T, B, I), (T, B, 2 * H)), (True, (B, T, I), (B, T, 2 * H))]:
            out, h_n = function(np.zeros(shape, np.float32), None, state, 2, True, batch_first)
            h_n = h_n[0] if isinstance(h_n, tuple) else h_n
            assert (out.shape, h_n.shape) == (want, (4, B, H)), (function.__name__, batch_first)
        out, h_n = function(np.zeros((T, I), np.float32), None, state, 2, True)
        h_n = h_n[0] if isinstance(h_n, tuple) else h_n
        assert (out.shape, h_n.shape) == ((T, 2 * H), (4, H)), function.__name__


def residual_block_rounds_up():
    """A strided ResidualBlock maps H to ceil(H / stride), both branches alike."""
    import torch

    from nnref.models.blocks import ResidualBlock

    for stride, (h, w) in [(2, (7, 5)), (3, (8, 9)), (1, (5, 6))]:
        out = ResidualBlock(3, 4, stride)(torch.zeros(1, 3, h, w))
        assert tuple(out.shape) == (1, 4, -(-h // stride), -(-w // stride))


def success_mask_tests_greater_than_zero():
    """The gripper condition is (pred > 0) == (target > 0): 0 goes with the negatives."""
    from nnref.data.vla import success_mask

    target = np.zeros((3, 7))
    target[:, 6] = [-1.0, 0.0, 1.0]
    pred = target.copy()
    pred[:, 6] = [0.0, -1.0, 0.0]  # sign() would differ in every row; "> 0" agrees in the first two
    assert success_mask(pred, target).tolist() == [True, True, False]


def vgg_walk_has_no_flatten_step():
    """shape_walk shows a Flatten step in every Sequential CNN of the module and none in VGG."""
    from nnref.models import cnn

    sequential = [cnn.SmallCNN(), cnn.MiniAlexNet(), cnn.CifarCNN(), cnn.DigitsCNN()]
    for model in sequential:
        assert any(isinstance(m, torch_flatten()) for m in model.children()), type(model).__name__
    vgg = cnn.VGG([8, "M"], num_classes=3, hidden=16)
    kinds = [kind for _, kind, _ in cnn.shape_walk(vgg, (1, 3, 32, 32))]
    assert "Flatten" not in kinds and kinds[kinds.index("AdaptiveAvgPool2d") + 1] == "Linear"


def torch_flatten():
    import torch

    return torch.nn.Flatten


def fit_seed_leaves_own_generators_alone():
    """fit(seed=...) fixes the shuffle of a loader without a generator, not of one with its own."""
    import torch
    from torch.utils.data import DataLoader

    from nnref.train.loop import fit

    def first_batch_after_fit(loader):
        model = torch.nn.Linear(1, 1)
        batches = []

        def loss_fn(output, target):
            batches.append(target.flatten().tolist())
            return ((output - target) ** 2).mean()

        optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
        fit(model, loader, loader, loss_fn, optimizer, epochs=1, progress=False, seed=0)
        return batches[0]

    data = [(torch.zeros(1), torch.tensor([float(i)])) for i in range(32)]
    plain = DataLoader(data, batch_size=32, shuffle=True)
    torch.manual_seed(1)
    first = first_batch_after_fit(plain)
    torch.manual_seed(2)
    assert first_batch_after_fit(plain) == first, "the seed fixes a loader that draws from torch's RNG"
    own = DataLoader(data, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0))
    assert first_batch_after_fit(own) != first_batch_after_fit(own), "its own generator moves on"


def mlp2_recomputes_the_sigmoids():
    """mlp2's cache holds z1, a1, z2 and no a2: the sigmoids' backwards recompute from z."""
    args = cache_pair_inputs()["mlp2"]
    _, cache = scratch.mlp2_forward(**args)
    assert set(cache) - set(args) == {"z1", "a1", "z2"}


def evaluator_skips_by_raising():
    """PageRun.run_block raises unittest.SkipTest for a skipped block and returns None or a message
    otherwise."""
    import unittest

    from nnref_docs.parse import parse_page
    from nnref_docs.run import PageRun

    text = (
        '# x\n\n<!-- skip: next "needs a GPU" -->\n```python\nprint(1)\n```\n\n'
        "```python\nprint(2)\n```\n\n```text\n2\n```\n\n```python\n1 / 0\n```\n"
    )
    skipped, good, bad = parse_page(text)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "x.md"
        page.write_text(text, encoding="utf-8")
        run, namespace = PageRun(page, Path(folder)), {}
        run.setup(namespace)
        try:
            with pytest.raises(unittest.SkipTest, match="needs a GPU"):
                run.run_block(skipped)
            assert run.run_block(good) is None
            assert "ZeroDivisionError" in run.run_block(bad)
        finally:
            run.teardown(namespace)


CLAIMS = [
    ("nnref.scratch", "Some public functions have no backward here", no_backward_named_in_the_package_docstring),
    ("nnref.scratch", "every backward but the two cache pairs'", no_backward_named_in_the_package_docstring),
    ("nnref.scratch.recurrent.rnn", "``(B, T, D*H)`` if batch_first", rnn_output_shapes),
    ("nnref.scratch.recurrent.lstm", "``(B, T, D*H)`` if batch_first", rnn_output_shapes),
    ("nnref.models.blocks.ResidualBlock", "ceil(H / stride)", residual_block_rounds_up),
    ("nnref.data.vla.success_mask", "``(pred[:, 6] > 0) == (target[:, 6] > 0)``", success_mask_tests_greater_than_zero),
    ("nnref.models.cnn", "flattens with ``torch.flatten`` inside ``forward``", vgg_walk_has_no_flatten_step),
    ("nnref.train.loop.fit", "a loader with its own generator", fit_seed_leaves_own_generators_alone),
    ("nnref.scratch.mlp2", "``a2`` is not stored", mlp2_recomputes_the_sigmoids),
    ("nnref.scratch.mlp2.mlp2_backward", "recomputed from the cached ``z``", mlp2_recomputes_the_sigmoids),
    ("nnref_docs.run", "raises\n``unittest.SkipTest``", evaluator_skips_by_raising),
]


def find(dotted: str):
    """The module, or the attribute of a module, that ``dotted`` names."""
    module, _, rest = dotted, "", ""
    while True:
        try:
            obj = importlib.import_module(module)
            break
        except ModuleNotFoundError:
            module, _, last = module.rpartition(".")
            rest = f"{last}.{rest}" if rest else last
    for part in rest.split(".") if rest else []:
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize(("owner", "fragment", "check"), CLAIMS, ids=[f"{c[0]}:{c[2].__name__}" for c in CLAIMS])
def test_docstring_claims_hold(owner, fragment, check):
    doc = find(owner).__doc__ or ""
    assert " ".join(fragment.split()) in " ".join(doc.split()), f"{owner}'s docstring no longer says {fragment!r}"
    check()
