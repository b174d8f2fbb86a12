"""Per-epoch record of a training run: losses, metrics, the best epoch; plots itself."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["History"]


@dataclass
class History:
    """Lists indexed by epoch (0-based). ``best_epoch`` has the lowest validation loss."""

    metric_name: str | None = None
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_metric: list[float] = field(default_factory=list)
    val_metric: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    seconds: float = 0.0

    def append(self, train_loss, val_loss, train_metric=None, val_metric=None) -> None:
        self.train_loss.append(train_loss)
        self.val_loss.append(val_loss)
        if train_metric is not None:
            self.train_metric.append(train_metric)
        if val_metric is not None:
            self.val_metric.append(val_metric)

    @property
    def epochs(self) -> int:
        """Number of epochs actually run (fewer than asked for after early stopping)."""
        return len(self.train_loss)

    def describe(self, epoch: int = -1) -> str:
        """One log line: ``epoch   3  train loss 0.4120  val loss 0.3981  val accuracy 0.912``."""
        i = epoch % self.epochs
        text = f"epoch {i + 1:3d}  train loss {self.train_loss[i]:.4f}"
        text += f"  val loss {self.val_loss[i]:.4f}"
        if self.val_metric:
            text += f"  val {self.metric_name} {self.val_metric[i]:.3f}"
        return text

    def plot(self, ax=None, logy: bool = False):
        """Draw train/val loss (and the metric on a second axis) per epoch; return the figure.

        ``logy=True`` puts the losses on a log scale, where a train/val gap is easier to see.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 3.5))
        else:
            fig = ax.figure
        epochs = range(1, self.epochs + 1)
        ax.plot(epochs, self.train_loss, label="train loss")
        ax.plot(epochs, self.val_loss, label="val loss")
        if self.best_epoch is not None:
            ax.axvline(self.best_epoch + 1, color="gray", linestyle=":", label="best epoch")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        if logy:
            ax.set_yscale("log")
        handles, labels = ax.get_legend_handles_labels()
        if self.val_metric:
            ax2 = ax.twinx()
            ax2.plot(epochs, self.val_metric, color="tab:green", label=f"val {self.metric_name}")
            ax2.set_ylabel(self.metric_name)
            more_h, more_l = ax2.get_legend_handles_labels()
            handles, labels = handles + more_h, labels + more_l
        ax.legend(handles, labels, loc="center right")
        fig.tight_layout()
        return fig
