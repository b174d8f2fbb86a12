"""nnref.train.loop: the loop learns, stops early, checkpoints, is reproducible, evaluates right."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from nnref.train import (
    History,
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
from nnref.train.tasks import build_task


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny models: threads only add overhead on a busy machine
    yield
    torch.set_num_threads(threads)


def blobs(n=96, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    x = torch.randn(n, 2, generator=g) * 0.5 + (2 * y[:, None] - 1).float()
    return x, y


def loaders(batch_size=16, seed=0):
    x, y = blobs(seed=seed)
    g = torch.Generator().manual_seed(seed)
    train = DataLoader(TensorDataset(x[:64], y[:64]), batch_size=batch_size, shuffle=True, generator=g)
    val = DataLoader(TensorDataset(x[64:], y[64:]), batch_size=batch_size)
    return train, val


def small_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))


def test_loss_decreases_and_accuracy_rises():
    model = small_model()
    train, val = loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    h = fit(
        model,
        train,
        val,
        nn.CrossEntropyLoss(),
        opt,
        epochs=15,
        metric=accuracy,
        progress=False,
        device="cpu",
    )
    assert isinstance(h, History) and h.epochs == 15 and len(h.val_metric) == 15
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert h.val_loss[-1] < h.val_loss[0]
    assert h.val_metric[-1] == 1.0


def test_early_stopping_stops_after_patience_epochs():
    model = small_model()
    train, val = loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.0)  # nothing changes: no epoch improves on the first
    h = fit(
        model,
        train,
        val,
        nn.CrossEntropyLoss(),
        opt,
        epochs=50,
        early_stopping=3,
        progress=False,
        device="cpu",
    )
    assert h.stopped_early and h.epochs == 1 + 3 and h.best_epoch == 0


def test_best_checkpoint_round_trip(tmp_path):
    model = small_model()
    train, val = loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    path = tmp_path / "best.pt"
    h = fit(
        model,
        train,
        val,
        nn.CrossEntropyLoss(),
        opt,
        epochs=8,
        checkpoint=path,
        progress=False,
        device="cpu",
    )
    fresh = small_model(seed=1)
    state = load_checkpoint(fresh, path)
    assert state["epoch"] == h.best_epoch == min(range(h.epochs), key=h.val_loss.__getitem__)
    loss, _ = evaluate(fresh, val, nn.CrossEntropyLoss())
    assert loss == pytest.approx(min(h.val_loss), rel=1e-6)
    save_checkpoint(fresh, tmp_path / "again.pt")
    again = small_model(seed=2)
    load_checkpoint(again, tmp_path / "again.pt")
    for a, b in zip(fresh.state_dict().values(), again.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def train_task(seed):
    p = build_task("xor", seed=seed)
    fit(
        p.model,
        p.train_loader,
        p.val_loader,
        p.loss_fn,
        p.optimizer,
        3,
        progress=False,
        seed=seed,
        device="cpu",
    )
    return p.model.state_dict()


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = train_task(0), train_task(0), train_task(1)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)


class Spy(nn.Module):
    """Records the mode and grad state each forward saw; two inputs, like model(*inputs)."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.seen = []

    def forward(self, a, b):
        self.seen.append((self.training, torch.is_grad_enabled()))
        return self.linear(a + b)


def tuple_loader():
    x, y = blobs(n=20)
    return DataLoader(
        TensorDataset(x, x, y),
        batch_size=8,
        collate_fn=lambda rows: (
            (torch.stack([r[0] for r in rows]), torch.stack([r[1] for r in rows])),
            torch.stack([r[2] for r in rows]),
        ),
    )


def test_evaluate_uses_eval_mode_and_no_grad_train_uses_train_mode():
    model, loader = Spy(), tuple_loader()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    train_one_epoch(model, loader, nn.CrossEntropyLoss(), opt)
    assert model.seen == [(True, True)] * 3
    model.seen.clear()
    evaluate(model, loader, nn.CrossEntropyLoss(), metric=accuracy)
    assert model.seen == [(False, False)] * 3


def test_means_are_weighted_by_batch_size():
    x, y = blobs(n=20)
    model = small_model()
    uneven = DataLoader(TensorDataset(x, y), batch_size=8)  # batches of 8, 8, 4
    loss, acc = evaluate(model, uneven, nn.CrossEntropyLoss(), metric=accuracy)
    with torch.no_grad():
        out = model(x)
    assert loss == pytest.approx(nn.CrossEntropyLoss()(out, y).item(), rel=1e-6)
    assert acc == pytest.approx(accuracy(out, y))


def test_r2_score():
    y = torch.tensor([[1.0], [2.0], [3.0]])
    assert r2_score(y, y) == 1.0
    assert r2_score(torch.full_like(y, 2.0), y) == pytest.approx(0.0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="device"):
        select_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            select_device("cuda")
    assert select_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="seed"):
        seed_everything(-1)
    model, (train, val) = small_model(), loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="epochs"):
        fit(model, train, val, nn.CrossEntropyLoss(), opt, epochs=-1)


def test_history_plot_and_describe():
    import matplotlib

    matplotlib.use("Agg")
    h = History(metric_name="accuracy")
    for i in range(3):
        h.append(1.0 / (i + 1), 1.2 / (i + 1), 0.5 + i / 10, 0.4 + i / 10)
    h.best_epoch = 2
    assert h.describe(2) == "epoch   3  train loss 0.3333  val loss 0.4000  val accuracy 0.600"
    fig = h.plot()
    assert len(fig.axes) == 2
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_scheduler_is_stepped_once_per_epoch():
    model, (train, val) = small_model(), loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.8)
    step = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    fit(model, train, val, nn.CrossEntropyLoss(), opt, 3, scheduler=step, progress=False)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
    h = fit(model, train, val, nn.CrossEntropyLoss(), opt, 2, scheduler=plateau, progress=False)
    assert plateau.last_epoch == 2 and plateau.best == pytest.approx(min(h.val_loss))
