"""Command line: ``python -m nnref train TASK`` (and ``python -m nnref tasks``).

Under ``torchrun --nproc-per-node=N -m nnref train TASK`` the same command trains with
DistributedDataParallel: N processes, each on its shard of every epoch, gradients averaged.
Torch is imported only when a command runs, so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable

__all__ = ["INSTALL_COMMAND", "build_parser", "main"]

# One line that installs nnref with PyTorch (CPU build) on a machine without a clone of the
# repository; the torch==2.13.0 pin comes from the package's `torch` extra.
INSTALL_COMMAND = (
    'pip install "nnref[torch] @ git+https://github.com/nnref/nnref" '
    "--extra-index-url https://download.pytorch.org/whl/cpu"
)
TORCH_EXTRA = ("torch", "tqdm")  # what `nnref[torch]` adds; every command below needs them


def _integer_parser(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: the text as an int ``>= minimum``, else "expected {what}, got ..."."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {what}, got {value}")
        return value

    return parse


_positive_int = _integer_parser(1, "a positive integer")
_seed = _integer_parser(0, "a non-negative integer")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nnref", description="Train the nnref docs' tasks.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("tasks", help="list the tasks that `train` knows")
    parser.train_parser = train = commands.add_parser("train", help="train a task and report its validation metric")
    train.add_argument("task", metavar="TASK", help="xor, digits, sine or vla (see `python -m nnref tasks`)")
    train.add_argument("--epochs", type=_positive_int, default=None, help="default: the task's own")
    train.add_argument("--seed", type=_seed, default=0, help="seeds data split, weights, shuffling (default 0)")
    train.add_argument("--device", default="auto", help="auto (default), cpu, cuda or cuda:N")
    train.add_argument("--checkpoint", default=None, metavar="PATH", help="save the best weights here")
    train.add_argument(
        "--log-every",
        type=_positive_int,
        default=None,
        metavar="K",
        help="print a line every K epochs",
    )
    train.add_argument(
        "--threads",
        type=_positive_int,
        default=1,
        metavar="N",
        help="CPU threads for torch (default 1: fastest for these small models)",
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _list_tasks() -> int:
    from nnref.train.tasks import TASKS

    for name, task in TASKS.items():
        print(f"{name:8s} {task.description}")
    return 0


def _train(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import torch

    from nnref.train import distributed
    from nnref.train.loop import fit, select_device
    from nnref.train.tasks import get_task

    try:
        task = get_task(args.task)
        device = select_device(args.device)
    except ValueError as error:
        parser.error(str(error))
    torch.set_num_threads(args.threads)
    parts = task.build(args.seed)  # a broken task module raises its own error here
    model, train_loader, rank, world_size = parts.model, parts.train_loader, 0, 1
    if distributed.launched_by_torchrun():
        rank, world_size, device = distributed.init_distributed(device)
        model = distributed.wrap_ddp(model, device)
        train_loader = distributed.distributed_loader(train_loader, seed=args.seed)
    epochs = args.epochs or parts.epochs
    start = time.perf_counter()
    try:
        history = fit(
            model,
            train_loader,
            parts.val_loader,
            parts.loss_fn,
            parts.optimizer,
            epochs,
            metric=parts.metric,
            metric_name=parts.metric_name,
            device=device,
            checkpoint=args.checkpoint,
            progress=not args.no_progress,
            seed=args.seed,
            log_every=args.log_every,
        )
    finally:
        distributed.cleanup_distributed()
    seconds = time.perf_counter() - start
    if rank == 0:  # under torchrun only rank 0 reports
        where = f", {world_size} processes" if world_size > 1 else ""
        print(
            f"{args.task}: val {parts.metric_name} {history.val_metric[-1]:.3f} "
            f"after {history.epochs} epochs ({seconds:.1f} s{where})"
        )
    return 0


def _missing_torch_extra() -> list[str]:
    return [name for name in TORCH_EXTRA if importlib.util.find_spec(name) is None]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    missing = _missing_torch_extra()
    if missing:
        print(
            f"error: `python -m nnref {args.command}` needs {', '.join(missing)}, which is not installed; "
            f"install nnref with PyTorch: {INSTALL_COMMAND}",
            file=sys.stderr,
        )
        return 1
    if args.command == "tasks":
        return _list_tasks()
    return _train(args, parser.train_parser)
