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

# In the order of the chapters: the API reference lists the entries in this order.
__all__ = [
    "xor",
    "moons",
    "circles",
    "spirals",
    "split_sizes",
    "train_val_test_split",
    "load_digits",
    "digits_split",
    "digits_datasets",
    "seasonal_series",
    "noisy_sines",
    "make_windows",
    "sum_sign",
    "marker_order",
    "tensor_dataset",
    "make_vla_data",
    "VLAData",
    "VLATorchDataset",
    "VLATokenizer",
    "instruction_text",
    "render_scene",
    "target_action",
    "success_mask",
    "success_rate",
    "make_dummy_vla_data",
]
