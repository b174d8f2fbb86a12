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

__all__ = [
    "History",
    "accuracy",
    "cleanup_distributed",
    "distributed_loader",
    "evaluate",
    "fit",
    "init_distributed",
    "is_main_process",
    "launched_by_torchrun",
    "load_checkpoint",
    "r2_score",
    "save_checkpoint",
    "seed_everything",
    "select_device",
    "train_one_epoch",
    "wrap_ddp",
]
