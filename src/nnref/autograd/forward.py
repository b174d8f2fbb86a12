"""Forward-mode automatic differentiation with dual numbers (stdlib only).

A :class:`Dual` carries a value ``primal`` and a directional derivative ``tangent``:
``f(x + v eps) = f(x) + (J_f(x) v) eps`` with ``eps**2 = 0``. One pass through ``f`` with dual
inputs gives one Jacobian-vector product (JVP); a full gradient of ``f: R^n -> R`` needs ``n``
passes, one per basis direction, where reverse mode needs one backward pass.
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["Dual", "jvp", "forward_gradient"]

# The numbers policy of nnref.autograd.engine: a Dual holds finite real numbers, and an op whose
# primal or tangent would not be one raises ValueError (not a real number: log(0), x / 0,
# (-8) ** (1/3), the slope of x ** 0.5 at 0) or OverflowError (beyond the float range), naming the op.


def _result(primal: float, tangent: float, op: str, *args: float) -> Dual:
    """``Dual(primal, tangent)``, or OverflowError naming the op (``op.format(*args)``, formatted
    only then) when a part left the float range."""
    if not (math.isfinite(primal) and math.isfinite(tangent)):
        part = "value" if not math.isfinite(primal) else "derivative"
        expr = op.format(*(f"{a:g}" for a in args))
        raise OverflowError(f"{expr}: the {part} is beyond the float range (about 1.8e308)")
    return Dual(primal, tangent)


def _as_dual(other) -> Dual:
    if isinstance(other, Dual):
        return other
    if isinstance(other, Real) and not isinstance(other, bool):
        return Dual(float(other), 0.0)
    raise TypeError(f"expected a Dual or a real number, got {type(other).__name__}")


class Dual:
    """``primal + tangent * eps`` with ``eps**2 = 0``.

    Arithmetic follows ``(a + a' eps)(b + b' eps) = ab + (a'b + ab') eps``.
    """

    __slots__ = ("primal", "tangent")

    def __init__(self, primal: float, tangent: float = 0.0) -> None:
        self.primal = float(primal)
        self.tangent = float(tangent)
        if not (math.isfinite(self.primal) and math.isfinite(self.tangent)):
            raise ValueError(f"primal and tangent must be finite real numbers, got {primal}, {tangent}")

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal:.6g}, tangent={self.tangent:.6g})"

    def __add__(self, other) -> Dual:
        other = _as_dual(other)
        return _result(self.primal + other.primal, self.tangent + other.tangent, "{} + {}", self.primal, other.primal)

    def __mul__(self, other) -> Dual:
        other = _as_dual(other)
        tangent = self.tangent * other.primal + self.primal * other.tangent
        return _result(self.primal * other.primal, tangent, "{} * {}", self.primal, other.primal)

    def __neg__(self) -> Dual:
        return Dual(-self.primal, -self.tangent)

    def __sub__(self, other) -> Dual:
        return self + (-_as_dual(other))

    def __truediv__(self, other) -> Dual:
        other = _as_dual(other)
        if other.primal == 0:
            raise ValueError(f"division by zero: {self.primal:g} / 0 is not a real number")
        q = self.primal / other.primal
        return _result(q, (self.tangent - q * other.tangent) / other.primal, "{} / {}", self.primal, other.primal)

    def __pow__(self, n) -> Dual:
        if isinstance(n, bool) or not isinstance(n, Real):
            raise TypeError(f"exponent must be a real number, got {type(n).__name__}")
        a, n, op = self.primal, float(n), f"({self.primal:g}) ** {n:g}"
        if a < 0 and not n.is_integer():
            raise ValueError(f"a negative base needs an integer exponent: {op} is not a real number")
        if a == 0 and n < 1 and n != 0:
            raise ValueError(f"{op} " + ("is not a real number" if n < 0 else "has an infinite slope"))
        try:
            slope = 0.0 if n == 0 else n * a ** (n - 1)
            return _result(a**n, slope * self.tangent, op)
        except OverflowError:
            raise OverflowError(f"{op} is beyond the float range (about 1.8e308)") from None

    def __radd__(self, other) -> Dual:
        return _as_dual(other) + self

    def __rsub__(self, other) -> Dual:
        return _as_dual(other) - self

    def __rmul__(self, other) -> Dual:
        return _as_dual(other) * self

    def __rtruediv__(self, other) -> Dual:
        return _as_dual(other) / self

    def exp(self) -> Dual:
        try:
            e = math.exp(self.primal)
        except OverflowError:
            raise OverflowError(f"exp({self.primal:g}) is beyond the float range (about 1.8e308)") from None
        return _result(e, e * self.tangent, "exp({})", self.primal)

    def log(self) -> Dual:
        if self.primal <= 0:
            raise ValueError(f"log needs a positive value, got log({self.primal:g})")
        return _result(math.log(self.primal), self.tangent / self.primal, "log({})", self.primal)

    def tanh(self) -> Dual:
        t = math.tanh(self.primal)
        return Dual(t, (1.0 - t * t) * self.tangent)

    def sigmoid(self) -> Dual:
        x = self.primal  # exp of a negative number only: no overflow for large |x|
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Dual(s, s * (1.0 - s) * self.tangent)

    def relu(self) -> Dual:
        return Dual(max(self.primal, 0.0), self.tangent if self.primal > 0 else 0.0)


def jvp(f, primals, tangents):
    """``(f(x), J_f(x) v)`` for ``x = primals``, ``v = tangents`` in one forward pass.

    ``f`` takes a list of numbers (here: Duals) and returns one Dual or a list of Duals.
    """
    if len(primals) != len(tangents):
        raise ValueError(f"tangents must have {len(primals)} entries, got {len(tangents)}")
    out = f([Dual(x, v) for x, v in zip(primals, tangents, strict=True)])
    if isinstance(out, Dual):
        return out.primal, out.tangent
    return [o.primal for o in out], [o.tangent for o in out]


def forward_gradient(f, primals):
    """The gradient of a scalar ``f: R^n -> R`` by forward mode: ``n`` JVPs, one per basis e_i."""
    n = len(primals)
    grad = []
    for i in range(n):
        _, d = jvp(f, primals, [1.0 if j == i else 0.0 for j in range(n)])
        grad.append(d)
    return grad
