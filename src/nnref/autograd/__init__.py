"""A scalar reverse-mode autodiff engine and the networks built on it (stdlib only)."""

from nnref.autograd.engine import Value, to_mermaid, topological_order
from nnref.autograd.forward import Dual, forward_gradient, jvp
from nnref.autograd.nn import MLP, Layer, Module, Neuron

__all__ = [
    "Value",
    "to_mermaid",
    "topological_order",
    "Dual",
    "forward_gradient",
    "jvp",
    "MLP",
    "Layer",
    "Module",
    "Neuron",
]
