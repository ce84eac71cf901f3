"""Diagnose a run from its curves: overfitting, underfitting, a good fit, or still improving.

The verdict uses only the per-epoch numbers (train/validation loss and accuracy) and, when the run
used early stopping, how it ended. It judges the weights the run keeps: those of the last epoch,
or, when early stopping ended the run, those of the epoch with the lowest validation loss (the
training loop restores them). In this order:

1. **underfitting** when both accuracies are below ``UNDERFIT_ACC`` (80%): the model
   does not even fit the data it sees (too small, too regularised, or not trained long enough).
   High training error is fixed first, whatever the gap (the usual bias-then-variance recipe).
   Training accuracy is measured in training mode (dropout on, augmented images), which can sit
   below validation accuracy, hence "both". A run whose loss became NaN/inf (diverged) is
   reported as underfitting with the remedy "lower the LR".
2. **overfitting** when the accuracy gap ``train_acc - val_acc >= GAP_OVERFIT`` (10 points), or
   when the validation loss rose clearly after its minimum (``rise >= RISE_ABS`` and
   ``rise / min_val_loss >= RISE_REL``) while training accuracy stays ``>= GAP_WITH_RISE`` above
   validation accuracy: the model learns the training set, not the task. When early stopping ended
   the run, the rise after the best epoch is what it cut off: the kept weights precede it.
3. **still improving** when the validation loss is still falling, and falling for real: over the
   last ``TREND_WINDOW`` (3) epochs it falls by at least ``IMPROVING_REL`` (2%) per epoch
   (least-squares slope relative to their mean) *and* their lowest value is at least
   ``IMPROVING_REL`` below every epoch before them (a new low, not a noisy dip to an old one), or
   there is only one epoch: train longer before judging. Never when early stopping ended the run:
   it stops precisely because the validation loss stopped improving. With early stopping on and
   the run not ended by it, "train longer" is safe: early stopping will end the longer run.
4. **good fit** otherwise: high training accuracy, small gap, validation loss settled.

So the verdict never contradicts the numbers shown beside it: "still improving" implies the lowest
validation loss came within the last three epochs, and a minimum several epochs back with the loss
above it since then is "good fit" (or "overfitting" past the thresholds). The thresholds were
chosen so the lab's three guided scenarios (``cnnviz.lab.scenarios``) are diagnosed as intended with
fixed seeds; the tests in ``tests/test_diagnosis.py`` pin each verdict with a table of curve shapes,
early stopping on and off, and with the curves of a real run of the cure scenario. Remedies use
the vocabulary of the source articles: more data, data augmentation, L1/L2 regularisation, dropout,
early stopping (not offered when it is already on), model ensembles, a smaller or larger model,
training longer.

Lesson: the "Overfitting lab" page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cnnviz.i18n import t

__all__ = [
    "GAP_OVERFIT",
    "GAP_WITH_RISE",
    "IMPROVING_REL",
    "REMEDY_IDS",
    "RISE_ABS",
    "RISE_REL",
    "TREND_WINDOW",
    "UNDERFIT_ACC",
    "VERDICTS",
    "Diagnosis",
    "EpochLike",
    "diagnose",
    "diagnosis_lines",
]

GAP_OVERFIT = 0.10
GAP_WITH_RISE = 0.03
RISE_ABS = 0.05
RISE_REL = 0.25
UNDERFIT_ACC = 0.80
IMPROVING_REL = 0.02
TREND_WINDOW = 3
_EPS = 1e-9  # accuracies are fractions k/N: 0.95 - 0.85 must count as a 10-point gap

VERDICTS: tuple[str, ...] = ("overfitting", "underfitting", "good fit", "still improving")

#: Every remedy id, in the order the page shows them. ``cnnviz.lab.setup.apply_remedy`` implements each.
REMEDY_IDS: tuple[str, ...] = (
    "more_data",
    "augment",
    "dropout",
    "weight_decay",
    "l1",
    "early_stop",
    "smaller",
    "ensemble",
    "wider",
    "deeper",
    "batch_norm",
    "longer",
    "less_regularisation",
    "higher_lr",
    "lower_lr",
)

_REMEDIES: dict[str, tuple[str, ...]] = {
    "overfitting": (
        "more_data",
        "augment",
        "dropout",
        "weight_decay",
        "l1",
        "early_stop",
        "smaller",
        "ensemble",
    ),
    "underfitting": ("wider", "deeper", "longer", "less_regularisation", "higher_lr", "batch_norm"),
    "still improving": ("longer",),
    "good fit": ("ensemble", "more_data"),
}


class EpochLike(Protocol):
    """The fields of :class:`cnnviz.train.EpochEnd` that the diagnosis reads (read-only)."""

    @property
    def epoch(self) -> int: ...
    @property
    def train_loss(self) -> float: ...
    @property
    def train_acc(self) -> float: ...
    @property
    def val_loss(self) -> float: ...
    @property
    def val_acc(self) -> float: ...


@dataclass(frozen=True)
class Diagnosis:
    """A verdict on a run and the numbers behind it (accuracies are fractions in [0, 1]).

    ``judged_epoch`` is the epoch whose weights the run keeps (the last one, or the best one when
    early stopping ended the run); the ``final_*`` numbers and ``gap`` (train acc - val acc) are
    that epoch's. ``best_epoch`` is the epoch with the lowest validation loss; ``val_loss_rise``
    = the last epoch's validation loss - that minimum. ``val_trend``: the relative fall of the
    validation loss per epoch over the last ``TREND_WINDOW`` epochs; ``recent_gain``: how far
    their lowest value is below every epoch before them (relative; None with one epoch).
    ``early_stopping``: the run used it; ``stopped_early``: it ended the run.
    """

    verdict: str
    best_epoch: int
    final_train_acc: float
    final_val_acc: float
    final_train_loss: float
    final_val_loss: float
    gap: float
    val_loss_rise: float
    remedies: tuple[str, ...]
    min_val_loss: float = math.nan
    best_val_acc: float = math.nan
    num_epochs: int = 0
    val_trend: float | None = None
    diverged: bool = False
    judged_epoch: int = 0
    recent_gain: float | None = None
    early_stopping: bool = False
    stopped_early: bool = False


def _finite(*values: float) -> bool:
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def _trend(values: Sequence[float]) -> float | None:
    """Relative fall per epoch: ``-slope / mean`` of a least-squares line through ``values``."""
    if len(values) < 2:
        return None
    count = len(values)
    mean_x, mean_y = (count - 1) / 2, sum(values) / count
    numerator = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    denominator = sum((i - mean_x) ** 2 for i in range(count))
    return -(numerator / denominator) / max(mean_y, 1e-8)


def _recent_gain(values: Sequence[float]) -> float | None:
    """``(min(before) - min(last TREND_WINDOW)) / min(before)``: how far the recent low is below
    everything before it (None with one value; a short run compares with its first epoch)."""
    if len(values) < 2:
        return None
    window = min(TREND_WINDOW, len(values) - 1)
    before, recent = min(values[:-window]), min(values[-window:])
    return (before - recent) / max(before, 1e-8)


def diagnose(
    epochs: Sequence[EpochLike], *, early_stopping: bool = False, stopped_early: bool = False
) -> Diagnosis:
    """The verdict for one run's per-epoch curves (see the module docstring for the rules).

    ``early_stopping``: the run used early stopping; ``stopped_early``: early stopping ended it
    (the loop then keeps the best epoch's weights, and the verdict judges those). Raises
    ValueError when ``epochs`` is empty.
    """
    if not epochs:
        raise ValueError("diagnose() needs at least one epoch")
    early_stopping = early_stopping or stopped_early
    last = epochs[-1]
    good = [e for e in epochs if _finite(e.train_loss, e.val_loss, e.train_acc, e.val_acc)]
    diverged = not _finite(last.train_loss, last.val_loss, last.train_acc, last.val_acc)
    if not good:
        return Diagnosis(
            verdict="underfitting",
            best_epoch=int(last.epoch),
            final_train_acc=float(last.train_acc),
            final_val_acc=float(last.val_acc),
            final_train_loss=float(last.train_loss),
            final_val_loss=float(last.val_loss),
            gap=math.nan,
            val_loss_rise=math.nan,
            remedies=("lower_lr",),
            num_epochs=len(epochs),
            diverged=True,
            judged_epoch=int(last.epoch),
            early_stopping=early_stopping,
            stopped_early=stopped_early,
        )
    best = min(good, key=lambda e: e.val_loss)
    judged = best if stopped_early else good[-1]
    gap = float(judged.train_acc - judged.val_acc)
    min_val = float(best.val_loss)
    rise = float(good[-1].val_loss - min_val)
    rel_rise = rise / max(min_val, 1e-8)
    val_losses = [float(e.val_loss) for e in good]
    trend = _trend(val_losses[-TREND_WINDOW:])
    gain = _recent_gain(val_losses)
    falling = trend is None or (
        trend >= IMPROVING_REL - _EPS and gain is not None and gain >= IMPROVING_REL - _EPS
    )
    remedies: tuple[str, ...]
    if diverged:
        verdict, remedies = "underfitting", ("lower_lr",)
    elif max(judged.train_acc, judged.val_acc) < UNDERFIT_ACC - _EPS:
        verdict = "underfitting"
        remedies = _REMEDIES["underfitting"]
        if falling and not stopped_early:  # not converged yet: training longer comes first
            remedies = ("longer", *(r for r in remedies if r != "longer"))
    elif gap >= GAP_OVERFIT - _EPS or (
        not stopped_early
        and rise >= RISE_ABS
        and rel_rise >= RISE_REL
        and gap >= GAP_WITH_RISE - _EPS
    ):
        verdict, remedies = "overfitting", _REMEDIES["overfitting"]
    elif falling and not stopped_early:
        verdict, remedies = "still improving", _REMEDIES["still improving"]
    else:
        verdict, remedies = "good fit", _REMEDIES["good fit"]
    if early_stopping:  # already on: never offered again
        remedies = tuple(r for r in remedies if r != "early_stop")
    return Diagnosis(
        verdict=verdict,
        best_epoch=int(best.epoch),
        final_train_acc=float(judged.train_acc),
        final_val_acc=float(judged.val_acc),
        final_train_loss=float(judged.train_loss),
        final_val_loss=float(judged.val_loss),
        gap=gap,
        val_loss_rise=rise,
        remedies=remedies,
        min_val_loss=min_val,
        best_val_acc=float(max(e.val_acc for e in good)),
        num_epochs=len(epochs),
        val_trend=trend,
        diverged=diverged,
        judged_epoch=int(judged.epoch),
        recent_gain=gain,
        early_stopping=early_stopping,
        stopped_early=stopped_early,
    )


def diagnosis_lines(diagnosis: Diagnosis, lang: str = "en") -> list[str]:
    """The numbers behind a verdict as short sentences in ``lang`` (Markdown): why, the kept
    weights' accuracy and loss, where the validation loss was lowest, and, for "still improving",
    how it is still falling (and that early stopping guards a longer run when it is on)."""
    d = diagnosis
    lines = [t(f"lab.verdict_why.{d.verdict.replace(' ', '_')}", lang)]
    if d.diverged:
        lines.insert(0, t("lab.diag.diverged", lang))
    if d.verdict == "still improving" and d.recent_gain is not None and d.val_trend is not None:
        lines.append(
            t(
                "lab.diag.improving",
                lang,
                window=TREND_WINDOW,
                gain=100 * d.recent_gain,
                trend=100 * d.val_trend,
            )
        )
        if d.early_stopping:
            lines.append(t("lab.diag.early_stopping_guards", lang))
    kept = "_kept" if d.stopped_early else ""
    if _finite(d.final_train_acc, d.final_val_acc, d.gap):
        lines.append(
            t(
                f"lab.diag.acc{kept}",
                lang,
                train=100 * d.final_train_acc,
                val=100 * d.final_val_acc,
                gap=100 * d.gap,
                epoch=d.judged_epoch,
            )
        )
    if _finite(d.final_train_loss, d.final_val_loss):
        lines.append(
            t(
                f"lab.diag.loss{kept}",
                lang,
                train=d.final_train_loss,
                val=d.final_val_loss,
                epoch=d.judged_epoch,
            )
        )
    settled = d.verdict != "still improving" and d.recent_gain is not None
    if _finite(d.min_val_loss, d.val_loss_rise) and d.val_loss_rise <= 0.0 and settled:
        # a last-epoch low that is no real progress (under IMPROVING_REL below the earlier low)
        lines.append(
            t(
                "lab.diag.best_last_settled",
                lang,
                epoch=d.best_epoch,
                loss=d.min_val_loss,
                window=TREND_WINDOW,
                pct=100 * max(d.recent_gain or 0.0, 0.0),
            )
        )
    elif _finite(d.min_val_loss, d.val_loss_rise) and d.val_loss_rise <= 0.0:
        lines.append(t("lab.diag.best_last", lang, epoch=d.best_epoch, loss=d.min_val_loss))
    elif _finite(d.min_val_loss, d.val_loss_rise):
        lines.append(
            t(
                "lab.diag.best",
                lang,
                epoch=d.best_epoch,
                loss=d.min_val_loss,
                rise=d.val_loss_rise,
                pct=100 * d.val_loss_rise / max(d.min_val_loss, 1e-8),
            )
        )
    return lines
