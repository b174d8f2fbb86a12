"""NumPy forward and backward passes that mirror ``torch.nn.functional``.

Names, argument order and array layouts follow torch (NCHW, Linear weight ``(out, in)``,
conv weight ``(C_out, C_in, kH, kW)``, torch's RNN gate order), so a torch ``state_dict``
converted to NumPy plugs straight in. Imports NumPy only.

Backward passes follow one of two conventions, each the same everywhere:

- **op and op_backward** (every backward but the two cache pairs'): ``op(<arguments>)`` computes the output and
  ``op_backward(grad_output, <the same arguments>)`` takes the upstream gradient ``dL/doutput``
  followed by the forward's arguments, recomputes what it needs, and returns what torch's autograd
  returns: the gradients of the forward's array inputs in the forward's order (a tuple when there
  is more than one, None for an absent bias). A scalar ``grad_output`` stands for an array of the
  output's shape filled with it (``1.0`` for a loss). Example: ``linear`` and ``linear_backward``.
- **forward and backward with a cache** (where storing the forward's intermediates is the lesson:
  the two-layer MLP backpropagated by hand, and backpropagation through time):
  ``name_forward(<arguments>)`` returns ``(output, cache)``, where ``cache`` is a dict holding the
  arguments under their parameter names plus the intermediates the backward reads;
  ``name_backward(grad_output, cache)`` returns a dict of gradients keyed by the forward's
  parameter names (plus named by-products, such as BPTT's ``grad_h_norms``). Pairs:
  ``mlp2_forward`` / ``mlp2_backward`` and ``rnn_forward`` / ``rnn_backward``.

Some public functions have no backward here: ``lstm``, ``lstm_cell``, ``gru`` and ``gru_cell``
(forward only), ``conv2d_loop`` (the convolution written as loops), ``unfold``, ``fold``,
``conv_output_size`` and ``dropout_mask`` (the pieces the convolution and dropout are built from),
``numerical_gradient``, ``relative_error`` and ``gradcheck`` (the gradient checks), and
the optimizers (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``, ``Adagrad``), which update in place.

RNN names: ``rnn_cell`` is one step (``nn.RNNCell``) and ``rnn_cell_backward`` its backward;
``rnn`` is ``nn.RNN`` (layers, directions, a ``state_dict``); ``rnn_forward`` / ``rnn_backward``
run one layer step by step with ``rnn_cell`` and backpropagate it through time.
"""

from nnref.scratch.bptt import rnn_backward, rnn_forward
from nnref.scratch.conv import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv2d_loop,
    conv_output_size,
    fold,
    max_pool2d,
    max_pool2d_backward,
    unfold,
)
from nnref.scratch.functional import (
    batch_norm,
    batch_norm_backward,
    dropout,
    dropout_backward,
    dropout_mask,
    gelu,
    gelu_backward,
    linear,
    linear_backward,
    log_softmax,
    log_softmax_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softmax,
    softmax_backward,
    tanh,
    tanh_backward,
)
from nnref.scratch.losses import (
    binary_cross_entropy,
    binary_cross_entropy_backward,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_backward,
    cross_entropy,
    cross_entropy_backward,
    half_sse_loss,
    half_sse_loss_backward,
    l1_loss,
    l1_loss_backward,
    mse_loss,
    mse_loss_backward,
    nll_loss,
    nll_loss_backward,
)
from nnref.scratch.mlp2 import mlp2_backward, mlp2_forward
from nnref.scratch.numgrad import gradcheck, numerical_gradient, relative_error
from nnref.scratch.optim import SGD, Adagrad, Adam, AdamW, RMSprop
from nnref.scratch.recurrent import gru, gru_cell, lstm, lstm_cell, rnn, rnn_cell, rnn_cell_backward

__all__ = [
    "batch_norm",
    "batch_norm_backward",
    "dropout",
    "dropout_backward",
    "dropout_mask",
    "gelu",
    "gelu_backward",
    "linear",
    "linear_backward",
    "log_softmax",
    "log_softmax_backward",
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "softmax",
    "softmax_backward",
    "tanh",
    "tanh_backward",
    "binary_cross_entropy",
    "binary_cross_entropy_backward",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_backward",
    "cross_entropy",
    "cross_entropy_backward",
    "l1_loss",
    "l1_loss_backward",
    "mse_loss",
    "mse_loss_backward",
    "nll_loss",
    "nll_loss_backward",
    "rnn_cell",
    "rnn_cell_backward",
    "lstm_cell",
    "gru_cell",
    "rnn",
    "lstm",
    "gru",
    "rnn_forward",
    "rnn_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "conv2d",
    "conv2d_backward",
    "conv2d_loop",
    "conv_output_size",
    "fold",
    "max_pool2d",
    "max_pool2d_backward",
    "unfold",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "RMSprop",
    "gradcheck",
    "numerical_gradient",
    "relative_error",
    "half_sse_loss",
    "half_sse_loss_backward",
    "mlp2_backward",
    "mlp2_forward",
]
