"""Recurrent sequence models: many-to-one classifiers and the language encoder of a VLA.

All models take ``batch_first`` inputs ``(B, T, F)`` (or token ids ``(B, T)``) and work for any
batch size: initial states are left to ``nn.LSTM`` / ``nn.GRU``, which make zeros of the right
shape, dtype and device. With ``lengths`` the sequences are packed so that each one ends at its
last real step instead of at the padding.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

_RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _check_lengths(lengths, batch: int, steps: int) -> torch.Tensor:
    lengths = torch.as_tensor(lengths, dtype=torch.int64).cpu()
    if lengths.shape != (batch,):
        raise ValueError(f"lengths must have shape ({batch},), got {tuple(lengths.shape)}")
    if lengths.min() < 1 or lengths.max() > steps:
        raise ValueError(f"lengths must lie in [1, {steps}], got {lengths.tolist()}")
    return lengths


def last_hidden(h_n: torch.Tensor, bidirectional: bool) -> torch.Tensor:
    """The top layer's final hidden state per direction, concatenated: ``(B, H * D)``.

    ``h_n`` has shape ``(num_layers * D, B, H)``, ordered layer by layer with the forward
    direction first, so the top layer is ``h_n[-1]`` or, bidirectional, ``h_n[-2]`` (forward,
    equal to ``output[:, -1, :H]``) and ``h_n[-1]`` (backward, equal to ``output[:, 0, H:]``).
    """
    if bidirectional:
        return torch.cat([h_n[-2], h_n[-1]], dim=1)
    return h_n[-1]


class RecurrentClassifier(nn.Module):
    """Many-to-one classifier: a recurrent layer reads ``x (B, T, input_size)``, a Linear maps
    the last hidden state ``(B, hidden_size * D)`` to ``num_classes`` logits ``(B, num_classes)``.

    ``cell`` is ``"rnn"``, ``"lstm"`` or ``"gru"``; ``D = 2`` when bidirectional. Logits, not
    probabilities: pair with ``BCEWithLogitsLoss`` (``num_classes=1``) or ``CrossEntropyLoss``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int = 64,
        num_classes: int = 1,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
    ):
        super().__init__()
        if cell not in _RECURRENT:
            raise ValueError(f"cell must be one of {sorted(_RECURRENT)}, got {cell!r}")
        self.cell = cell
        self.bidirectional = bidirectional
        self.rnn = _RECURRENT[cell](
            input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional, batch_first=True
        )
        self.fc = nn.Linear(hidden_size * (2 if bidirectional else 1), num_classes)

    def forward(self, x: torch.Tensor, lengths=None) -> torch.Tensor:
        if x.dim() != 3 or x.shape[-1] != self.rnn.input_size:
            raise ValueError(f"x must have shape (B, T, {self.rnn.input_size}), got {tuple(x.shape)}")
        if lengths is not None:
            lengths = _check_lengths(lengths, x.shape[0], x.shape[1])
            x = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h_n = self.rnn(x)  # no h0: zeros of shape (num_layers * D, B, H) for any B
        if self.cell == "lstm":
            h_n = h_n[0]
        return self.fc(last_hidden(h_n, self.bidirectional))


class LSTMClassifier(RecurrentClassifier):
    """Many-to-one LSTM classifier: :class:`RecurrentClassifier` with ``cell="lstm"``; ``options``
    are its ``num_classes``, ``num_layers`` and ``bidirectional``."""

    def __init__(self, input_size: int, hidden_size: int = 64, **options):
        super().__init__(input_size, hidden_size, cell="lstm", **options)


class GRUClassifier(RecurrentClassifier):
    """Many-to-one GRU classifier: :class:`RecurrentClassifier` with ``cell="gru"``; ``options``
    are its ``num_classes``, ``num_layers`` and ``bidirectional``."""

    def __init__(self, input_size: int, hidden_size: int = 64, **options):
        super().__init__(input_size, hidden_size, cell="gru", **options)


class LanguageEncoder(nn.Module):
    """Token ids ``(B, T)`` -> feature vector ``(B, feature_dim)``.

    ``Embedding(vocab_size, embed_dim)`` -> ``LSTM(embed_dim, hidden_size)`` -> the final hidden
    state ``h_T (B, hidden_size)`` -> ``Linear(hidden_size, feature_dim)``. Token
    ``padding_idx`` embeds to zeros. With ``lengths (B,)`` the padded batch is packed, so ``h_T``
    is taken at each sentence's last real token, not after the padding.
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 32,
        hidden_size: int = 64,
        feature_dim: int = 128,
        padding_idx: int | None = 0,
    ):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embed_dim, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, feature_dim)

    def forward(self, tokens: torch.Tensor, lengths=None) -> torch.Tensor:
        if not isinstance(tokens, torch.Tensor) or tokens.dtype not in (torch.int64, torch.int32):
            raise TypeError("tokens must be an integer (Long) tensor of shape (B, T)")
        if tokens.dim() != 2:
            raise ValueError(f"tokens must have shape (B, T), got {tuple(tokens.shape)}")
        embedded = self.embedding(tokens)  # (B, T, embed_dim)
        if lengths is not None:
            lengths = _check_lengths(lengths, tokens.shape[0], tokens.shape[1])
            embedded = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(embedded)  # h_n: (1, B, hidden_size)
        return self.fc(h_n[-1])
