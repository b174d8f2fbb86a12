"""Templated Korean/English robot instructions and a word-level tokenizer for them (NumPy only).

The vocabulary is fixed and covers both languages, so one embedding table serves both:
``0`` is padding, ``1`` is an unknown word, and every word any template can produce has an id.
"""

from __future__ import annotations

import numpy as np

COLORS = ("red", "green", "blue", "yellow")
VERBS = ("pick", "push", "move")
LANGUAGES = ("en", "ko")

PAD, UNK = "<pad>", "<unk>"
PAD_ID, UNK_ID = 0, 1

# Korean colour words are the adjective forms used before a noun ("빨간 블록").
COLOR_WORDS = {
    "en": {"red": "red", "green": "green", "blue": "blue", "yellow": "yellow"},
    "ko": {"red": "빨간", "green": "초록", "blue": "파란", "yellow": "노란"},
}

# Two phrasings per verb and language; ``{c}`` is the colour word.
TEMPLATES = {
    "en": {
        "pick": ("pick up the {c} block", "grab the {c} block"),
        "push": ("push the {c} block", "push the {c} block away"),
        "move": ("move to the {c} block", "go to the {c} block"),
    },
    "ko": {
        "pick": ("{c} 블록을 집어", "{c} 블록을 집어 줘"),
        "push": ("{c} 블록을 밀어", "{c} 블록을 밀어 줘"),
        "move": ("{c} 블록으로 이동해", "{c} 블록으로 가"),
    },
}


def instruction_text(verb: str, color: str, language: str = "en", template: int = 0) -> str:
    """The instruction for ``verb`` on the ``color`` block.

    ``instruction_text("pick", "red", "ko") == "빨간 블록을 집어"``.
    """
    if verb not in VERBS:
        raise ValueError(f"verb must be one of {VERBS}, got {verb!r}")
    if color not in COLORS:
        raise ValueError(f"color must be one of {COLORS}, got {color!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    phrasings = TEMPLATES[language][verb]
    if not 0 <= template < len(phrasings):
        raise ValueError(f"template must be in [0, {len(phrasings)}), got {template}")
    return phrasings[template].format(c=COLOR_WORDS[language][color])


def _all_words() -> list[str]:
    words: list[str] = []
    for language in LANGUAGES:
        for verb in VERBS:
            for color in COLORS:
                for template in range(len(TEMPLATES[language][verb])):
                    for word in instruction_text(verb, color, language, template).split():
                        if word not in words:
                            words.append(word)
    return words


class VLATokenizer:
    """Word-level tokenizer: lower-case, split on white space, look each word up.

    ``vocab[i]`` is the word with id ``i``; ``vocab[0] == "<pad>"``, ``vocab[1] == "<unk>"``.
    """

    def __init__(self, words: list[str] | None = None) -> None:
        words = _all_words() if words is None else list(words)
        self.vocab: list[str] = [PAD, UNK] + [w for w in words if w not in (PAD, UNK)]
        self.ids: dict[str, int] = {w: i for i, w in enumerate(self.vocab)}

    def __len__(self) -> int:
        return len(self.vocab)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``'s words (lower-cased, split on white space); unknown words get ``UNK_ID``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        return [self.ids.get(word, UNK_ID) for word in text.lower().split()]

    def decode(self, ids) -> str:
        """Inverse of :meth:`encode` for known words; padding ids are dropped."""
        return " ".join(self.vocab[int(i)] for i in ids if int(i) != PAD_ID)

    def encode_batch(self, texts: list[str], max_len: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Encode and right-pad with ``0``: ``tokens`` (N, T) int64 and ``lengths`` (N,) int64."""
        encoded = [self.encode(t) for t in texts]
        lengths = np.array([len(e) for e in encoded], dtype=np.int64)
        if np.any(lengths == 0):
            raise ValueError("texts must not contain empty instructions")
        width = int(lengths.max(initial=1)) if max_len is None else int(max_len)
        if np.any(lengths > width):
            raise ValueError(f"max_len={width} is shorter than the longest instruction ({lengths.max()})")
        tokens = np.full((len(texts), width), PAD_ID, dtype=np.int64)
        for row, ids in enumerate(encoded):
            tokens[row, : len(ids)] = ids
        return tokens, lengths
