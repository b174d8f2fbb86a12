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

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal:.6g}, tangent={self.tangent:.6g})"

    def __add__(self, other) -> Dual:
        other = _as_dual(other)
        return Dual(self.primal + other.primal, self.tangent + other.tangent)

    def __mul__(self, other) -> Dual:
        other = _as_dual(other)
        tangent = self.tangent * other.primal + self.primal * other.tangent
        return Dual(self.primal * other.primal, tangent)

    def __neg__(self) -> Dual:
        return Dual(-self.primal, -self.tangent)

    def __sub__(self, other) -> Dual:
        return self + (-_as_dual(other))

    def __truediv__(self, other) -> Dual:
        other = _as_dual(other)
        q = self.primal / other.primal
        return Dual(q, (self.tangent - q * other.tangent) / other.primal)

    def __pow__(self, n) -> Dual:
        if isinstance(n, bool) or not isinstance(n, Real):
            raise TypeError(f"exponent must be a real number, got {type(n).__name__}")
        return Dual(self.primal**n, n * self.primal ** (n - 1) * self.tangent)

    def __radd__(self, other) -> Dual:
        return _as_dual(other) + self

    def __rsub__(self, other) -> Dual:
        return _as_dual(other) - self

    def __rmul__(self, other) -> Dual:
        return _as_dual(other) * self

    def __rtruediv__(self, other) -> Dual:
        return _as_dual(other) / self

    def exp(self) -> Dual:
        e = math.exp(self.primal)
        return Dual(e, e * self.tangent)

    def log(self) -> Dual:
        if self.primal <= 0:
            raise ValueError(f"log needs a positive value, got {self.primal}")
        return Dual(math.log(self.primal), self.tangent / self.primal)

    def tanh(self) -> Dual:
        t = math.tanh(self.primal)
        return Dual(t, (1.0 - t * t) * self.tangent)

    def sigmoid(self) -> Dual:
        s = 1.0 / (1.0 + math.exp(-self.primal))
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
