"""Small datasets that are generated deterministically or ship with the package. No downloads."""

from nnref.data.digits import digits_datasets, digits_split, load_digits
from nnref.data.sequences import (
    make_windows,
    marker_order,
    noisy_sines,
    seasonal_series,
    sum_sign,
    tensor_dataset,
)
from nnref.data.split import split_sizes, train_val_test_split
from nnref.data.toy2d import circles, moons, spirals, xor
from nnref.data.vla import (
    VLAData,
    VLATorchDataset,
    make_dummy_vla_data,
    make_vla_data,
    render_scene,
    success_mask,
    success_rate,
    target_action,
)
from nnref.data.vla_text import VLATokenizer, instruction_text

__all__ = [
    "split_sizes",
    "train_val_test_split",
    "circles",
    "moons",
    "spirals",
    "xor",
    "make_windows",
    "marker_order",
    "noisy_sines",
    "seasonal_series",
    "sum_sign",
    "tensor_dataset",
    "digits_datasets",
    "digits_split",
    "load_digits",
    "VLATokenizer",
    "instruction_text",
    "VLAData",
    "VLATorchDataset",
    "make_dummy_vla_data",
    "make_vla_data",
    "render_scene",
    "success_mask",
    "success_rate",
    "target_action",
]
