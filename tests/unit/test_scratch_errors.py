"""Bad input to nnref.scratch gets a TypeError or ValueError that names the argument and what was
expected, raised before NumPy fails somewhere inside the op with a message about its internals."""

import numpy as np
import pytest

from nnref.scratch import conv, recurrent
from nnref.scratch import functional as sf
from nnref.scratch import losses as sl
from nnref.scratch.bptt import rnn_backward, rnn_forward

X4 = np.zeros((1, 3, 8, 8))
W4 = np.zeros((4, 3, 3, 3))
X2, W2 = np.zeros((2, 3)), np.zeros((4, 3))
LOGITS, LABELS = np.zeros((3, 4)), np.array([0, 1, 2])
CELL_X, CELL_H = np.zeros((2, 3)), np.zeros((2, 4))
LSTM_W = (np.zeros((16, 3)), np.zeros((16, 4)))
_, RNN_CACHE = rnn_forward(np.zeros((5, 2, 3)), np.zeros((2, 4)), np.zeros((4, 3)), np.zeros((4, 4)))

CASES = {
    # conv2d and pooling
    "conv2d zero output channels": (
        lambda: conv.conv2d(X4, np.zeros((0, 3, 3, 3))),
        ValueError,
        r"weight must have a number of output channels \(dim 0\) >= 1 .* got weight of shape \(0, 3, 3, 3\)",
    ),
    "conv2d groups do not divide C_out": (
        lambda: conv.conv2d(np.zeros((1, 4, 8, 8)), np.zeros((3, 2, 3, 3)), groups=2),
        ValueError,
        r"divisible by groups=2",
    ),
    "conv2d channels vs groups": (
        lambda: conv.conv2d(X4, np.zeros((3, 3, 3, 3)), groups=3),
        ValueError,
        r"input has 3 channels but weight \(3, 3, 3, 3\) with groups=3 expects 9",
    ),
    "conv2d groups=0": (lambda: conv.conv2d(X4, W4, groups=0), ValueError, "groups must be >= 1"),
    "conv2d groups float": (lambda: conv.conv2d(X4, W4, groups=1.0), TypeError, "groups must be an int"),
    "conv2d dilation=0": (lambda: conv.conv2d(X4, W4, dilation=0), ValueError, "dilation must be >= 1"),
    "conv2d padding=-1": (lambda: conv.conv2d(X4, W4, padding=-1), ValueError, "padding must be >= 0"),
    "conv2d stride pair of 3": (
        lambda: conv.conv2d(X4, W4, stride=(1, 1, 1)),
        TypeError,
        r"stride must be an int or a pair of ints, got \(1, 1, 1\)",
    ),
    "conv2d dilated kernel too big": (
        lambda: conv.conv2d(X4, W4, dilation=4),
        ValueError,
        r"kernel of size 3 \(span 9\) does not fit",
    ),
    "conv2d float64 weight, float32 input": (
        lambda: conv.conv2d(X4.astype(np.float32), W4),
        TypeError,
        r"weight must have the dtype of input \(float32\), got float64",
    ),
    "conv2d bias shape": (
        lambda: conv.conv2d(X4, W4, np.zeros(3)),
        ValueError,
        r"bias must have shape \(4,\), got \(3,\)",
    ),
    "conv2d input is a list": (
        lambda: conv.conv2d(X4.tolist(), W4),
        TypeError,
        "input must be a numpy.ndarray, got list",
    ),
    "conv2d_backward grad_output shape": (
        lambda: conv.conv2d_backward(np.zeros((1, 4, 5, 5)), X4, W4),
        ValueError,
        r"grad_output must have the forward output's shape \(1, 4, 6, 6\), got \(1, 4, 5, 5\)",
    ),
    "conv2d_backward grad_output list": (
        lambda: conv.conv2d_backward([[0.0]], X4, W4),
        TypeError,
        "grad_output must be a numpy.ndarray, got list",
    ),
    "unfold 3-d input": (
        lambda: conv.unfold(X4[0], 2),
        ValueError,
        r"input must have 4 dimensions, got shape \(3, 8, 8\)",
    ),
    "fold wrong columns": (
        lambda: conv.fold(np.zeros((1, 7, 9)), (4, 4), 2),
        ValueError,
        r"input must have shape \(N, C\*2\*2, 9\), got \(1, 7, 9\)",
    ),
    "max_pool2d padding > kernel/2": (
        lambda: conv.max_pool2d(X4, 2, padding=2),
        ValueError,
        "padding must be at most half the kernel size",
    ),
    "max_pool2d stride=0": (lambda: conv.max_pool2d(X4, 2, stride=0), ValueError, "stride must be >= 1"),
    "max_pool2d kernel too big": (lambda: conv.max_pool2d(X4, 9), ValueError, "does not fit"),
    "max_pool2d_backward grad_output shape": (
        lambda: conv.max_pool2d_backward(np.zeros((1, 3, 3, 3)), X4, 2, ceil_mode=True),
        ValueError,
        r"grad_output must have the forward output's shape \(1, 3, 4, 4\)",
    ),
    "avg_pool2d divisor_override=0": (
        lambda: conv.avg_pool2d(X4, 2, divisor_override=0),
        ValueError,
        "divisor_override must be >= 1",
    ),
    "avg_pool2d_backward grad_output shape": (
        lambda: conv.avg_pool2d_backward(np.zeros((1, 3, 4, 4)), X4, 3, 1, 1),
        ValueError,
        r"grad_output must have the forward output's shape \(1, 3, 8, 8\)",
    ),
    # layers and activations
    "linear bias dtype": (
        lambda: sf.linear(X2, W2, np.zeros(4, np.float32)),
        TypeError,
        r"bias must have the dtype of input \(float64\), got float32",
    ),
    "linear_backward grad_output shape": (
        lambda: sf.linear_backward(np.zeros((2, 3)), X2, W2),
        ValueError,
        r"grad_output must have the forward output's shape \(2, 4\), got \(2, 3\)",
    ),
    "relu on a list": (lambda: sf.relu([1.0, -1.0]), TypeError, "input must be a numpy.ndarray"),
    "softmax dim float": (lambda: sf.softmax(X2, 1.0), TypeError, "dim must be an int, got 1.0"),
    "sigmoid_backward grad_output shape": (
        lambda: sf.sigmoid_backward(np.zeros(3), X2),
        ValueError,
        r"grad_output must have the forward output's shape \(2, 3\)",
    ),
    "dropout p string": (lambda: sf.dropout(X2, "0.5"), TypeError, "p must be a number in"),
    "dropout_backward without the mask": (
        lambda: sf.dropout_backward(X2, X2, 0.5),
        ValueError,
        "mask is required in training",
    ),
    "dropout mask list": (
        lambda: sf.dropout(X2, 0.5, mask=[[1, 0, 1]] * 2),
        TypeError,
        "mask must be a numpy.ndarray, got list",
    ),
    "batch_norm eval without running stats": (
        lambda: sf.batch_norm(X2, None, None),
        ValueError,
        "running_mean and running_var are required when training=False",
    ),
    "batch_norm weight shape": (
        lambda: sf.batch_norm(X2, None, None, np.ones(2), training=True),
        ValueError,
        r"weight must have shape \(3,\), got \(2,\)",
    ),
    # losses
    "cross_entropy on lists": (
        lambda: sl.cross_entropy([[1.0, 2.0]], [0]),
        TypeError,
        "input must be a numpy.ndarray, got list",
    ),
    "cross_entropy target list": (
        lambda: sl.cross_entropy(LOGITS, [0, 1, 2]),
        TypeError,
        "target must be a numpy.ndarray of class indices, got list",
    ),
    "cross_entropy float32 weight": (
        lambda: sl.cross_entropy(LOGITS, LABELS, np.ones(4, np.float32)),
        TypeError,
        r"weight must have the dtype of input \(float64\), got float32",
    ),
    "cross_entropy_backward grad_output shape": (
        lambda: sl.cross_entropy_backward(np.zeros(2), LOGITS, LABELS, reduction="none"),
        ValueError,
        r"grad_output must have the forward output's shape \(3,\), got \(2,\)",
    ),
    "cross_entropy_backward grad_output array for mean": (
        lambda: sl.cross_entropy_backward(np.zeros(3), LOGITS, LABELS),
        ValueError,
        r"grad_output must have the forward output's shape \(\), got \(3,\)",
    ),
    "nll_loss target out of range": (
        lambda: sl.nll_loss(LOGITS, np.array([0, 1, 4])),
        ValueError,
        r"target values must lie in \[0, 3\]",
    ),
    "mse_loss target shape": (
        lambda: sl.mse_loss(X2, np.zeros((3, 2))),
        ValueError,
        r"target must have the input's shape \(2, 3\), got \(3, 2\)",
    ),
    "mse_loss_backward grad_output None": (
        lambda: sl.mse_loss_backward(None, X2, X2),
        TypeError,
        "grad_output must be a numpy.ndarray, got NoneType",
    ),
    "binary_cross_entropy float64 target, float32 input": (
        lambda: sl.binary_cross_entropy(np.full(3, 0.5, np.float32), np.ones(3)),
        TypeError,
        r"target must have the dtype of input \(float32\), got float64",
    ),
    "bce_with_logits weight does not broadcast": (
        lambda: sl.binary_cross_entropy_with_logits(X2, X2, np.ones(2)),
        ValueError,
        r"weight of shape \(2,\) does not broadcast to the input's shape \(2, 3\)",
    ),
    "l1_loss reduction": (lambda: sl.l1_loss(X2, X2, reduction="avg"), ValueError, "reduction must be one of"),
    # recurrent cells and sequences
    "lstm_cell bias_ih shape": (
        lambda: recurrent.lstm_cell(CELL_X, (CELL_H, CELL_H), *LSTM_W, np.zeros(4), np.zeros(16)),
        ValueError,
        r"bias_ih must have shape \(16,\), got \(4,\)",
    ),
    "lstm_cell hx a bare array": (
        lambda: recurrent.lstm_cell(CELL_X, np.zeros((2, 2, 4)), *LSTM_W),
        TypeError,
        r"hx must be an \(h, c\) pair of arrays, each \(B, H\); got an array of shape \(2, 2, 4\)",
    ),
    "lstm_cell c shape": (
        lambda: recurrent.lstm_cell(CELL_X, (CELL_H, np.zeros((2, 3))), *LSTM_W),
        ValueError,
        r"hx\[1\] \(c\) must have shape \(2, 4\), got \(2, 3\)",
    ),
    "lstm_cell float32 input, float64 weights": (
        lambda: recurrent.lstm_cell(CELL_X.astype(np.float32), (CELL_H, CELL_H), *LSTM_W),
        TypeError,
        r"hx\[0\] \(h\) must have the dtype of input \(float32\), got float64",
    ),
    "rnn_cell bias_hh shape": (
        lambda: recurrent.rnn_cell(CELL_X, CELL_H, np.zeros((4, 3)), np.zeros((4, 4)), None, np.zeros(3)),
        ValueError,
        r"bias_hh must have shape \(4,\)",
    ),
    "rnn_cell_backward nonlinearity": (
        lambda: recurrent.rnn_cell_backward(
            CELL_H, CELL_X, CELL_H, np.zeros((4, 3)), np.zeros((4, 4)), nonlinearity="sigmoid"
        ),
        ValueError,
        r"nonlinearity must be 'tanh' or 'relu', got 'sigmoid'",
    ),
    "rnn_cell_backward grad_output shape": (
        lambda: recurrent.rnn_cell_backward(CELL_X, CELL_X, CELL_H, np.zeros((4, 3)), np.zeros((4, 4))),
        ValueError,
        r"grad_output must have the forward output's shape \(2, 4\), got \(2, 3\)",
    ),
    "gru_cell h shape": (
        lambda: recurrent.gru_cell(CELL_X, np.zeros((3, 4)), np.zeros((12, 3)), np.zeros((12, 4))),
        ValueError,
        r"h must have shape \(2, 4\), got \(3, 4\)",
    ),
    "lstm hx a bare array": (
        lambda: recurrent.lstm(
            np.zeros((5, 2, 3)), np.zeros((2, 1, 2, 4)), {"weight_ih_l0": LSTM_W[0], "weight_hh_l0": LSTM_W[1]}
        ),
        TypeError,
        r"hx must be an \(h, c\) pair of arrays",
    ),
    "rnn state_dict without layer 0": (
        lambda: recurrent.rnn(np.zeros((5, 2, 3)), None, {}),
        ValueError,
        "state_dict has no 'weight_ih_l0'",
    ),
    "rnn_forward bias shape": (
        lambda: rnn_forward(np.zeros((5, 2, 3)), np.zeros((2, 4)), np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(5)),
        ValueError,
        r"bias_ih must have shape \(4,\), got \(5,\)",
    ),
    "rnn_backward grad_h_n shape": (
        lambda: rnn_backward(np.zeros((5, 2, 4)), RNN_CACHE, np.zeros((1, 2, 4))),
        ValueError,
        r"grad_h_n must have the forward output's shape \(2, 4\), got \(1, 2, 4\)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_names_the_argument(case):
    call, error, message = CASES[case]
    with pytest.raises(error, match=message):
        call()


def test_the_error_cases_are_really_bad_inputs():
    """The fixtures are sound: the same calls with the argument fixed go through."""
    conv.conv2d(X4, W4)
    conv.conv2d_backward(np.zeros((1, 4, 6, 6)), X4, W4)
    recurrent.lstm_cell(CELL_X, (CELL_H, CELL_H), *LSTM_W, np.zeros(16), np.zeros(16))
    sl.cross_entropy(LOGITS, LABELS)
    rnn_backward(np.zeros((5, 2, 4)), RNN_CACHE, np.zeros((2, 4)))
    recurrent.rnn_cell_backward(CELL_H, CELL_X, CELL_H, np.zeros((4, 3)), np.zeros((4, 4)), nonlinearity="relu")
    sf.dropout_backward(X2, X2, 0.5, mask=np.ones_like(X2))
    sf.linear_backward(np.zeros((2, 4)), X2, W2)
