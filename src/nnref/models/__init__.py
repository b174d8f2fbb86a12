"""PyTorch ``nn.Module``s that the pages build. Importing this package imports torch."""

from nnref.models.blocks import ResidualBlock, ResidualMLPBlock
from nnref.models.cnn import (
    VGG,
    VGG16_CONFIG,
    CifarCNN,
    DigitsCNN,
    MiniAlexNet,
    SmallCNN,
    count_parameters,
    shape_walk,
    vgg16,
)
from nnref.models.mlp import MLP, BatchNormMLP, mlp_num_params
from nnref.models.sequence import GRUClassifier, LanguageEncoder, LSTMClassifier, RecurrentClassifier
from nnref.models.vision import VisionEncoder
from nnref.models.vla import ActionDecoder, LanguageOnlyVLA, SimpleVLA, VisionOnlyVLA, add_coords

# In the order of the chapters: the API reference lists the entries in this order.
__all__ = [
    "MLP",
    "BatchNormMLP",
    "mlp_num_params",
    "ResidualBlock",
    "ResidualMLPBlock",
    "SmallCNN",
    "MiniAlexNet",
    "CifarCNN",
    "DigitsCNN",
    "VGG",
    "VGG16_CONFIG",
    "vgg16",
    "count_parameters",
    "shape_walk",
    "VisionEncoder",
    "RecurrentClassifier",
    "LSTMClassifier",
    "GRUClassifier",
    "LanguageEncoder",
    "SimpleVLA",
    "ActionDecoder",
    "VisionOnlyVLA",
    "LanguageOnlyVLA",
    "add_coords",
]
