"""A readable training and evaluation loop for the pages (imports torch)."""

from .distributed import (
    cleanup_distributed,
    distributed_loader,
    init_distributed,
    is_main_process,
    launched_by_torchrun,
    wrap_ddp,
)
from .history import History
from .loop import (
    accuracy,
    evaluate,
    fit,
    load_checkpoint,
    r2_score,
    save_checkpoint,
    seed_everything,
    select_device,
    train_one_epoch,
)

# In the order a reader meets them: the API reference lists the entries in this order.
__all__ = [
    "seed_everything",
    "select_device",
    "train_one_epoch",
    "evaluate",
    "fit",
    "History",
    "accuracy",
    "r2_score",
    "save_checkpoint",
    "load_checkpoint",
    "launched_by_torchrun",
    "init_distributed",
    "is_main_process",
    "distributed_loader",
    "wrap_ddp",
    "cleanup_distributed",
]
