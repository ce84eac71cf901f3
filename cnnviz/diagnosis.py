"""Diagnose a run from its curves: overfitting, underfitting, a good fit, or still improving.

The verdict uses only the per-epoch numbers (train/validation loss and accuracy), in this order:

1. **underfitting** when both final accuracies are below ``UNDERFIT_ACC`` (80%): the model
   does not even fit the data it sees (too small, too regularised, or not trained long enough).
   High training error is fixed first, whatever the gap (the usual bias-then-variance recipe).
   Training accuracy is measured in training mode (dropout on, augmented images), which can sit
   below validation accuracy, hence "both". A run whose loss became NaN/inf (diverged) is
   reported as underfitting with the remedy "lower the LR".
2. **overfitting** when the final accuracy gap ``train_acc - val_acc >= GAP_OVERFIT`` (10 points), or
   when the validation loss rose clearly after its minimum (``rise >= RISE_ABS`` and
   ``rise / min_val_loss >= RISE_REL``) while training accuracy stays ``>= GAP_WITH_RISE`` above
   validation accuracy: the model learns the training set, not the task.
3. **still improving** when validation loss still falls by at least ``IMPROVING_REL`` (2%) per epoch
   (least-squares slope over the last ``TREND_WINDOW`` = 3 epochs, relative to their mean), or there
   is only one epoch: train longer before judging.
4. **good fit** otherwise: high training accuracy, small gap, validation loss flat at its minimum.

The thresholds were chosen so the lab's three guided scenarios (``cnnviz.scenarios``) are diagnosed
as intended with fixed seeds; the tests in ``tests/test_diagnosis.py`` pin each verdict with
hand-made curves. Remedies use the vocabulary of the seeds: more data, data augmentation, L1/L2
regularisation, dropout, early stopping, model ensembles, a smaller or larger model, training longer.

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

#: Every remedy id, in the order the page shows them. ``cnnviz.lab_setup.apply_remedy`` implements each.
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
    """The fields of ``cnnviz.training.EpochEnd`` that the diagnosis reads."""

    epoch: int
    train_loss: float
    train_acc: float
    val_loss: float
    val_acc: float


@dataclass(frozen=True)
class Diagnosis:
    """A verdict on a run and the numbers behind it (accuracies are fractions in [0, 1]).

    ``best_epoch`` is the epoch number (as in ``EpochEnd.epoch``) with the lowest validation loss;
    ``val_loss_rise`` = final validation loss - that minimum; ``gap`` = final train acc - val acc.
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


def diagnose(epochs: Sequence[EpochLike]) -> Diagnosis:
    """The verdict for one run's per-epoch curves (see the module docstring for the rules).

    ``val_trend`` is the relative fall of validation loss per epoch over the last
    ``TREND_WINDOW`` epochs: ``-slope / mean`` of the least-squares line through them (None with
    one epoch). Raises ValueError when ``epochs`` is empty.
    """
    if not epochs:
        raise ValueError("diagnose() needs at least one epoch")
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
        )
    best = min(good, key=lambda e: e.val_loss)
    final = good[-1]
    gap = float(final.train_acc - final.val_acc)
    min_val = float(best.val_loss)
    rise = float(final.val_loss - min_val)
    rel_rise = rise / max(min_val, 1e-8)
    trend = _trend([float(e.val_loss) for e in good[-TREND_WINDOW:]])
    if diverged:
        verdict, remedies = "underfitting", ("lower_lr",)
    elif max(final.train_acc, final.val_acc) < UNDERFIT_ACC - _EPS:
        verdict = "underfitting"
        remedies = _REMEDIES["underfitting"]
        if (
            trend is None or trend >= IMPROVING_REL
        ):  # not converged yet: training longer comes first
            remedies = ("longer", *(r for r in remedies if r != "longer"))
    elif gap >= GAP_OVERFIT - _EPS or (
        rise >= RISE_ABS and rel_rise >= RISE_REL and gap >= GAP_WITH_RISE - _EPS
    ):
        verdict, remedies = "overfitting", _REMEDIES["overfitting"]
    elif trend is None or trend >= IMPROVING_REL - _EPS:
        verdict, remedies = "still improving", _REMEDIES["still improving"]
    else:
        verdict, remedies = "good fit", _REMEDIES["good fit"]
    return Diagnosis(
        verdict=verdict,
        best_epoch=int(best.epoch),
        final_train_acc=float(final.train_acc),
        final_val_acc=float(final.val_acc),
        final_train_loss=float(final.train_loss),
        final_val_loss=float(final.val_loss),
        gap=gap,
        val_loss_rise=rise,
        remedies=remedies,
        min_val_loss=min_val,
        best_val_acc=float(max(e.val_acc for e in good)),
        num_epochs=len(epochs),
        val_trend=trend,
        diverged=diverged,
    )


def diagnosis_lines(diagnosis: Diagnosis, lang: str = "en") -> list[str]:
    """The numbers behind a verdict as short sentences in ``lang`` (Markdown)."""
    d = diagnosis
    lines = [t(f"lab.verdict_why.{d.verdict.replace(' ', '_')}", lang)]
    if d.diverged:
        lines.insert(0, t("lab.diag.diverged", lang))
    if _finite(d.final_train_acc, d.final_val_acc, d.gap):
        lines.append(
            t(
                "lab.diag.acc",
                lang,
                train=100 * d.final_train_acc,
                val=100 * d.final_val_acc,
                gap=100 * d.gap,
            )
        )
    if _finite(d.final_train_loss, d.final_val_loss):
        lines.append(t("lab.diag.loss", lang, train=d.final_train_loss, val=d.final_val_loss))
    if _finite(d.min_val_loss, d.val_loss_rise) and d.val_loss_rise <= 0.0:
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
