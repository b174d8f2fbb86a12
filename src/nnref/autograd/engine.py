"""A scalar reverse-mode automatic differentiation engine (micrograd-style, stdlib only).

Every :class:`Value` remembers the values it was computed from (``_prev``), the operation that
made it (``_op``) and a closure ``_backward`` that adds ``out.grad * local derivative`` into the
``grad`` of each input. :meth:`Value.backward` orders the graph topologically (iteratively, so a
chain of 100,000 nodes is fine) and calls the closures from the output back to the leaves.
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["Value", "topological_order", "to_mermaid"]

# Numbers policy (the same for Dual in forward.py): a Value holds a finite real number, and every
# op, forward and backward, either gives a finite real number or raises a clear error that names
# the op and its operands: ValueError where the result is not a real number (log(0), 0 ** -1,
# x / 0, (-8) ** (1/3), the slope of x ** 0.5 at 0), OverflowError where it is beyond the float
# range (exp(710), 1e200 ** 2, 1e308 * 10, a gradient that overflows). torch answers inf or nan
# instead; here a nan never travels silently through a graph.

# float and int first: isinstance against the abstract Real alone is slow, and a training step
# creates tens of thousands of Values
_REAL = (float, int, Real)


def _as_value(other) -> Value:
    if isinstance(other, Value):
        return other
    if isinstance(other, _REAL) and not isinstance(other, bool):
        return Value(float(other))
    raise TypeError(f"expected a Value or a real number, got {type(other).__name__}")


def _not_finite(data: float, op: str, operands: tuple) -> Exception:
    if not op:
        return ValueError(f"data must be a finite real number, got {data}")
    args = [f"{v.data:g}" for v in operands]
    expr = f" {op} ".join(args) if len(args) == 2 else f"{op}({', '.join(args)})"
    return OverflowError(f"{expr} = {data}: the result is beyond the float range (about 1.8e308)")


class Value:
    """A scalar that records how it was computed, so that gradients can flow back into it.

    ``data`` is the number, ``grad`` is ``dL/d(self)`` after ``L.backward()`` (it accumulates,
    like ``torch.Tensor.grad``). ``label`` is only used when drawing the graph.

    Supported: ``+ - * /`` with Values or real numbers on either side, ``v ** n`` for a real
    number ``n`` (a negative base needs an integer ``n``), ``-v``, ``exp``, ``log``, ``tanh``,
    ``sigmoid``, ``relu``. A Value is a node of a graph, not a number: ``==`` and ``hash`` are
    identity (two nodes that hold the same number are different nodes, and nodes can live in sets
    and dicts), so ``Value(2.0) == 2.0`` is False; ordering (``<``, ``<=``, ``>``, ``>=``) raises
    TypeError because a comparison has no gradient. Compare ``v.data`` instead.

    A Value holds a finite real number. An op whose result or gradient would not be one raises,
    naming the op: ValueError for ``log(0)``, ``x / 0``, ``0 ** -1``, ``(-8) ** (1/3)`` and the
    slope of ``x ** 0.5`` at 0; OverflowError for ``exp(710)``, ``1e200 ** 2`` or a gradient past
    the float range. (torch answers inf or nan there instead.)
    """

    __slots__ = ("data", "grad", "label", "_backward", "_prev", "_op")

    def __init__(self, data, _prev: tuple = (), _op: str = "", label: str = "") -> None:
        if type(data) is not float:  # every op passes a float: check only the rest
            if isinstance(data, bool) or not isinstance(data, _REAL):
                raise TypeError(f"data must be a real number, got {type(data).__name__}")
            data = float(data)
        if not math.isfinite(data):
            raise _not_finite(data, _op, _prev)
        self.data = data
        self.grad = 0.0
        self.label = label
        self._backward = None
        self._prev = tuple(_prev)
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # binary operations: out = self (op) other -------------------------------------------
    def __add__(self, other) -> Value:
        other = _as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other) -> Value:
        other = _as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, (Value, bool)) or not isinstance(exponent, _REAL):
            kind = type(exponent).__name__
            raise TypeError(f"exponent must be a real number (not a Value), got {kind}")
        n = float(exponent)
        a = self.data
        if a < 0 and not n.is_integer():
            raise ValueError(f"a negative base needs an integer exponent: ({a:g}) ** {exponent:g} is not a real number")
        if a == 0 and n < 0:
            raise ValueError(f"0 ** {exponent:g} is not a real number (division by zero)")
        out = Value(_power(a, n), (self,), f"**{exponent:g}")

        def _backward():  # d(a^n)/da = n a^(n-1); 0 for n = 0, as in torch
            if n == 0:
                return
            if a == 0 and n < 1:
                raise ValueError(f"the slope of a ** {exponent:g} at a = 0 is infinite")
            self.grad += n * _power(a, n - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        out = Value(-self.data, (self,), "neg")

        def _backward():  # d(-a)/da = -1
            self.grad += -out.grad

        out._backward = _backward
        return out

    def __sub__(self, other) -> Value:
        other = _as_value(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():  # d(a - b)/da = 1, d(a - b)/db = -1
            self.grad += out.grad
            other.grad += -out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other) -> Value:
        other = _as_value(other)
        if other.data == 0:
            raise ValueError(f"division by zero: {self.data:g} / 0 is not a real number")
        out = Value(self.data / other.data, (self, other), "/")

        def _backward():  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -(a/b)/b (b^2 may underflow to 0)
            self.grad += out.grad / other.data
            other.grad += -out.grad * out.data / other.data

        out._backward = _backward
        return out

    # the number is on the left: 2 + v, 2 - v, 2 * v, 2 / v
    def __radd__(self, other) -> Value:
        return _as_value(other) + self

    def __rsub__(self, other) -> Value:
        return _as_value(other) - self

    def __rmul__(self, other) -> Value:
        return _as_value(other) * self

    def __rtruediv__(self, other) -> Value:
        return _as_value(other) / self

    # ordering has no gradient: refuse it rather than compare nodes by accident
    def _no_ordering(self, other):
        raise TypeError(
            "Values cannot be ordered (a comparison has no gradient); compare their .data, e.g. a.data < b.data"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _no_ordering

    # unary functions ------------------------------------------------------------------
    def _unary(self, data: float, op: str, local: float) -> Value:
        out = Value(data, (self,), op)

        def _backward():  # upstream gradient x local derivative
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) is beyond the float range (about 1.8e308)") from None
        return self._unary(e, "exp", e)

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got log({self.data:g})")
        return self._unary(math.log(self.data), "log", 1.0 / self.data)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, "tanh", 1.0 - t * t)

    def sigmoid(self) -> Value:
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._unary(s, "sigmoid", s * (1.0 - s))

    def relu(self) -> Value:
        return self._unary(max(self.data, 0.0), "relu", 1.0 if self.data > 0 else 0.0)

    # reverse mode ---------------------------------------------------------------------
    def backward(self) -> None:
        """Set ``grad`` of every value this one depends on to ``d(self)/d(value)``.

        Gradients of intermediate values are recomputed from zero; those of leaves (values
        not computed from others) accumulate, like PyTorch's ``.grad``.
        """
        order = topological_order(self)
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad += 1.0
        for v in reversed(order):  # v.grad is complete here: every value computed from v came first
            if not math.isfinite(v.grad):
                raise _overflowed(v)
            if v._backward is not None:
                v._backward()


def _overflowed(v: Value) -> OverflowError:
    kind = f"the output of {v._op}" if v._op else "a leaf"
    return OverflowError(f"backward: the gradient of {kind} (data={v.data:g}) is {v.grad}, beyond the float range")


def _power(a: float, n: float) -> float:
    try:
        return a**n
    except OverflowError:
        raise OverflowError(f"({a:g}) ** {n:g} is beyond the float range (about 1.8e308)") from None


def topological_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on, each after all of its inputs (iterative DFS)."""
    order: list[Value] = []
    visited: set[Value] = set()  # a Value hashes by identity
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for child in reversed(node._prev):
            if child not in visited:
                stack.append((child, False))
    return order


def to_mermaid(root: Value, direction: str = "LR", digits: int = 4) -> str:
    """A Mermaid flowchart of the graph behind ``root``: one box per value, one circle per op.

    Node ids follow the topological order (``v0, v1, ...``; op ``k`` of value ``vk`` is ``opk``),
    so the same expression always gives the same text.
    """
    if direction not in {"LR", "RL", "TB", "BT", "TD"}:
        raise ValueError(f"direction must be one of LR, RL, TB, BT, TD, got {direction!r}")
    order = topological_order(root)
    ids = {id(v): f"v{k}" for k, v in enumerate(order)}
    lines = [f"flowchart {direction}"]
    for v in order:
        name = ids[id(v)]
        head = f"{v.label} = " if v.label else ""
        text = f"{head}{v.data:.{digits}f}<br/>grad {v.grad:.{digits}f}"
        lines.append(f'    {name}["{text}"]')
        if v._op:
            op = "op" + name[1:]
            lines.append(f'    {op}(("{v._op}"))')
            for child in v._prev:
                lines.append(f"    {ids[id(child)]} --> {op}")
            lines.append(f"    {op} --> {name}")
    return "\n".join(lines)
