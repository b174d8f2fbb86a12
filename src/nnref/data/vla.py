"""A learnable synthetic Vision-Language-Action task, and the unlearnable random data of
chapter 7's study notes.

A scene is a small RGB image (3, H, W) of ``n_blocks`` coloured squares, each of a different colour,
on a plain background. The instruction names one verb and one colour present in the scene, in
English or Korean. The target is a 7-DOF action ``(x, y, z, roll, pitch, yaw, gripper)`` in [-1, 1]:

* ``x, y``: centre of the named block in image coordinates scaled to [-1, 1] (x right, y down);
* ``z``: ``pick`` -0.5, ``push`` -0.8, ``move`` +0.5 (hover above the block);
* ``roll`` 0; ``pitch`` 0.5 for ``push`` (tilt to push), else 0;
* ``yaw = atan2(x, 1.5 - y) / (pi / 2)``: turn towards the block from a base below the image;
* ``gripper``: +1 (close) for ``pick``, -1 (open) otherwise.

Where to go needs both the image (where is each colour?) and the instruction (which colour?);
how to get there (z, pitch, gripper) needs the instruction. Neither modality alone can solve it.
Everything here is NumPy; :class:`VLATorchDataset` imports torch only when it is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .vla_text import COLORS, LANGUAGES, TEMPLATES, VERBS, VLATokenizer, instruction_text

ACTION_NAMES = ("x", "y", "z", "roll", "pitch", "yaw", "gripper")
ACTION_DIM = len(ACTION_NAMES)
BACKGROUND = (0.85, 0.85, 0.80)
COLOR_RGB = {
    "red": (0.90, 0.10, 0.10),
    "green": (0.10, 0.65, 0.20),
    "blue": (0.10, 0.25, 0.90),
    "yellow": (0.95, 0.80, 0.05),
}
VERB_Z = {"pick": -0.5, "push": -0.8, "move": 0.5}
VERB_PITCH = {"pick": 0.0, "push": 0.5, "move": 0.0}
VERB_GRIPPER = {"pick": 1.0, "push": -1.0, "move": -1.0}
MAX_TOKENS = max(len(p.split()) for lang in TEMPLATES.values() for ps in lang.values() for p in ps)
SUCCESS_TOLERANCE = 0.15  # in the [-1, 1] action units of x, y, z


def target_action(verb: str, x: float, y: float) -> np.ndarray:
    """The 7-DOF action for ``verb`` on a block centred at ``(x, y)``; shape (7,), float32."""
    if verb not in VERBS:
        raise ValueError(f"verb must be one of {VERBS}, got {verb!r}")
    yaw = math.atan2(x, 1.5 - y) / (math.pi / 2)
    return np.array([x, y, VERB_Z[verb], 0.0, VERB_PITCH[verb], yaw, VERB_GRIPPER[verb]], dtype=np.float32)


def render_scene(corners, colors, image_size: int = 16, block_size: int = 5) -> np.ndarray:
    """Draw squares with top-left pixels ``corners`` (K, 2) as (row, col) in ``colors`` (K names).

    Returns a float32 image (3, image_size, image_size) with values in [0, 1].
    """
    corners = np.asarray(corners)
    if corners.ndim != 2 or corners.shape[1] != 2 or len(corners) != len(colors):
        raise ValueError(f"corners must have shape (K, 2) with K = len(colors), got {corners.shape}")
    image = np.empty((3, image_size, image_size), dtype=np.float32)
    image[:] = np.asarray(BACKGROUND, dtype=np.float32)[:, None, None]
    for (row, col), name in zip(corners, colors, strict=True):
        rgb = np.asarray(COLOR_RGB[name], dtype=np.float32)[:, None, None]
        image[:, row : row + block_size, col : col + block_size] = rgb
    return image


def block_center(corner, image_size: int = 16, block_size: int = 5) -> tuple[float, float]:
    """Centre of a block with top-left ``corner`` (row, col), as (x, y) scaled to [-1, 1]."""
    row, col = corner
    half = (block_size - 1) / 2
    scale = 2.0 / (image_size - 1)
    return float((col + half) * scale - 1.0), float((row + half) * scale - 1.0)


def _sample_corners(rng: np.random.Generator, k: int, image_size: int, block_size: int) -> np.ndarray:
    """Top-left corners of ``k`` squares that do not touch (at least one pixel apart)."""
    high = image_size - block_size  # inclusive upper bound keeps every block inside the image
    corners: list[tuple[int, int]] = []
    while len(corners) < k:
        r, c = (int(v) for v in rng.integers(0, high + 1, size=2))
        if all(abs(r - r2) > block_size or abs(c - c2) > block_size for r2, c2 in corners):
            corners.append((r, c))
    return np.array(corners, dtype=np.int64)


@dataclass
class VLAData:
    """N samples of the synthetic task, as NumPy arrays (see the module docstring)."""

    images: np.ndarray  # (N, 3, H, W) float32 in [0, 1]
    tokens: np.ndarray  # (N, T) int64, right-padded with 0
    lengths: np.ndarray  # (N,) int64, number of real tokens
    actions: np.ndarray  # (N, 7) float32 in [-1, 1]
    instructions: list[str] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # colour of the named block
    languages: list[str] = field(default_factory=list)
    block_colors: list[tuple[str, ...]] = field(default_factory=list)
    block_centers: np.ndarray | None = None  # (N, K, 2) (x, y) of every block

    def __len__(self) -> int:
        return len(self.images)


def make_vla_data(
    n: int,
    seed: int = 0,
    image_size: int = 16,
    n_blocks: int = 1,
    block_size: int = 5,
    languages: tuple[str, ...] = LANGUAGES,
    tokenizer: VLATokenizer | None = None,
    palette: tuple[str, ...] = COLORS,
) -> VLAData:
    """``n`` deterministic samples: the same ``seed`` gives the same arrays on every machine."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not palette or any(c not in COLORS for c in palette):
        raise ValueError(f"palette must be a non-empty subset of {COLORS}, got {palette}")
    if not 1 <= n_blocks <= len(palette):
        raise ValueError(f"n_blocks must be in [1, len(palette)={len(palette)}], got {n_blocks}")
    if any(lang not in LANGUAGES for lang in languages) or not languages:
        raise ValueError(f"languages must be a non-empty subset of {LANGUAGES}, got {languages}")
    if image_size < n_blocks * (block_size + 1) + 1:
        raise ValueError(f"image_size={image_size} is too small for {n_blocks} blocks of size {block_size}")
    tokenizer = tokenizer or VLATokenizer()
    rng = np.random.default_rng(seed)
    images = np.empty((n, 3, image_size, image_size), dtype=np.float32)
    actions = np.empty((n, ACTION_DIM), dtype=np.float32)
    centers = np.empty((n, n_blocks, 2), dtype=np.float32)
    out = VLAData(images, np.empty(0), np.empty(0), actions, block_centers=centers)
    for i in range(n):
        colors = tuple(palette[j] for j in rng.choice(len(palette), size=n_blocks, replace=False))
        corners = _sample_corners(rng, n_blocks, image_size, block_size)
        k = int(rng.integers(n_blocks))
        verb = VERBS[int(rng.integers(len(VERBS)))]
        language = languages[int(rng.integers(len(languages)))]
        template = int(rng.integers(len(TEMPLATES[language][verb])))
        images[i] = render_scene(corners, colors, image_size, block_size)
        centers[i] = [block_center(c, image_size, block_size) for c in corners]
        actions[i] = target_action(verb, *centers[i, k])
        out.instructions.append(instruction_text(verb, colors[k], language, template))
        out.verbs.append(verb)
        out.targets.append(colors[k])
        out.languages.append(language)
        out.block_colors.append(colors)
    out.tokens, out.lengths = tokenizer.encode_batch(out.instructions, max_len=MAX_TOKENS)
    return out


def make_dummy_vla_data(
    n: int, seed: int = 0, image_size: int = 64, seq_len: int = 16, vocab_size: int = 1000
) -> VLAData:
    """Seed 000's ``DummyVLADataset``: N(0, 1) images and actions, uniform random tokens.

    The targets are independent of the inputs, so no model can predict them better than their
    mean: the best expected MSE on new samples is their variance, 1.
    """
    rng = np.random.default_rng(seed)
    images = rng.standard_normal((n, 3, image_size, image_size)).astype(np.float32)
    tokens = rng.integers(0, vocab_size, size=(n, seq_len)).astype(np.int64)
    lengths = np.full(n, seq_len, dtype=np.int64)
    actions = rng.standard_normal((n, ACTION_DIM)).astype(np.float32)
    return VLAData(images, tokens, lengths, actions)


def success_mask(pred, target, tol: float = SUCCESS_TOLERANCE):
    """An episode succeeds when the end point is close and the gripper command is on the right side of 0.

    ``||pred[:, :3] - target[:, :3]||_2 < tol`` and ``(pred[:, 6] > 0) == (target[:, 6] > 0)``: a
    command of exactly 0 counts with the negative ones (not as a sign of its own).
    Works on NumPy arrays and torch tensors of shape (N, 7); returns a boolean (N,).
    """
    if pred.shape != target.shape or len(pred.shape) != 2 or pred.shape[1] != ACTION_DIM:
        raise ValueError(f"pred and target must both be (N, 7), got {tuple(pred.shape)}, {tuple(target.shape)}")
    close = ((pred[:, :3] - target[:, :3]) ** 2).sum(1) ** 0.5 < tol
    return close & ((pred[:, 6] > 0) == (target[:, 6] > 0))


def success_rate(pred, target, tol: float = SUCCESS_TOLERANCE) -> float:
    """Fraction of successful episodes (see :func:`success_mask`)."""
    mask = success_mask(pred, target, tol)
    return float(mask.sum()) / len(mask)


class VLATorchDataset:
    """Map-style dataset over :class:`VLAData`: item ``i`` is ``((image, tokens, length), action)``.

    Works with ``torch.utils.data.DataLoader``; the default collate gives
    ``((images (B, 3, H, W), tokens (B, T), lengths (B,)), actions (B, 7))``.
    Images are normalised as ``(image - mean) / std``; the defaults map [0, 1] to [-1, 1].
    """

    def __init__(self, data: VLAData, mean: float = 0.5, std: float = 0.5) -> None:
        import torch

        self.images = (torch.from_numpy(np.ascontiguousarray(data.images)) - mean) / std
        self.tokens = torch.from_numpy(np.ascontiguousarray(data.tokens))
        self.lengths = torch.from_numpy(np.ascontiguousarray(data.lengths))
        self.actions = torch.from_numpy(np.ascontiguousarray(data.actions))

    def __len__(self) -> int:
        return len(self.actions)

    def __getitem__(self, i):
        return (self.images[i], self.tokens[i], self.lengths[i]), self.actions[i]
