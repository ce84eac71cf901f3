"""diagnose() on hand-made curves: each verdict, the numbers behind it, edge cases (1 epoch, NaN)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.i18n import CATALOG
from cnnviz.train import (
    GAP_OVERFIT,
    IMPROVING_REL,
    REMEDY_IDS,
    TREND_WINDOW,
    UNDERFIT_ACC,
    VERDICTS,
    Diagnosis,
    EpochEnd,
    diagnose,
    diagnosis_lines,
)


def curve(
    train_acc: list[float],
    val_acc: list[float],
    train_loss: list[float],
    val_loss: list[float],
) -> list[EpochEnd]:
    """Hand-made epochs (numbered from 1) with the four curves given."""
    return [
        EpochEnd(
            epoch=i + 1,
            train_loss=tl,
            train_acc=ta,
            val_loss=vl,
            val_acc=va,
            lr=1e-3,
            seconds=0.5,
            images_per_second=1000.0,
            grad_norms={},
            weight_norms={},
        )
        for i, (ta, va, tl, vl) in enumerate(
            zip(train_acc, val_acc, train_loss, val_loss, strict=True)
        )
    ]


def test_overfitting_by_the_accuracy_gap_with_the_numbers_behind_it() -> None:
    # Train accuracy reaches 100%, validation stalls at 70%; val loss is lowest at epoch 3 then rises.
    epochs = curve(
        train_acc=[0.5, 0.8, 0.95, 1.0, 1.0, 1.0],
        val_acc=[0.45, 0.65, 0.70, 0.70, 0.69, 0.70],
        train_loss=[1.4, 0.6, 0.2, 0.05, 0.02, 0.01],
        val_loss=[1.5, 1.0, 0.9, 1.0, 1.2, 1.4],
    )
    d = diagnose(epochs)
    assert d.verdict == "overfitting"
    assert d.best_epoch == 3
    assert d.final_train_acc == 1.0 and d.final_val_acc == 0.70
    assert d.gap == pytest.approx(0.30)
    assert d.min_val_loss == pytest.approx(0.9)
    assert d.val_loss_rise == pytest.approx(0.5)
    assert d.best_val_acc == pytest.approx(0.70)
    assert d.num_epochs == 6 and not d.diverged
    assert {"augment", "dropout", "weight_decay", "early_stop", "more_data"} <= set(d.remedies)
    assert "wider" not in d.remedies  # a bigger model would make it worse


def test_overfitting_by_rising_validation_loss_with_a_small_gap() -> None:
    epochs = curve(
        train_acc=[0.8, 0.9, 0.95, 0.97, 0.98],
        val_acc=[0.78, 0.88, 0.92, 0.92, 0.92],
        train_loss=[0.6, 0.3, 0.15, 0.08, 0.05],
        val_loss=[0.65, 0.35, 0.30, 0.38, 0.45],
    )
    d = diagnose(epochs)
    assert d.gap < GAP_OVERFIT
    assert d.verdict == "overfitting"
    assert d.val_loss_rise == pytest.approx(0.15)


def test_gap_exactly_at_the_threshold_counts_as_overfitting() -> None:
    epochs = curve([0.9, 0.95], [0.85, 0.85], [0.3, 0.1], [0.4, 0.39])
    assert diagnose(epochs).verdict == "overfitting"  # 0.95 - 0.85 is 0.0999...: still 10 points
    epochs = curve([0.9, 0.94], [0.85, 0.85], [0.3, 0.1], [0.4, 0.39])
    assert diagnose(epochs).verdict != "overfitting"


def test_a_noisy_rise_without_a_gap_is_not_overfitting() -> None:
    # Validation loss wobbles up but validation accuracy is as good as training accuracy.
    epochs = curve(
        train_acc=[0.9, 0.95, 0.96, 0.96],
        val_acc=[0.92, 0.96, 0.97, 0.97],
        train_loss=[0.3, 0.15, 0.12, 0.11],
        val_loss=[0.25, 0.12, 0.10, 0.14],
    )
    assert diagnose(epochs).verdict == "good fit"


def test_underfitting_when_even_the_training_set_is_not_learned() -> None:
    epochs = curve(
        train_acc=[0.3, 0.38, 0.40, 0.41, 0.41],
        val_acc=[0.28, 0.33, 0.35, 0.35, 0.35],
        train_loss=[1.7, 1.6, 1.55, 1.54, 1.54],
        val_loss=[1.75, 1.66, 1.62, 1.62, 1.62],
    )
    d = diagnose(epochs)
    assert d.verdict == "underfitting"
    assert d.final_train_acc < UNDERFIT_ACC
    assert d.remedies[0] != "longer"  # it has converged: a bigger model comes first
    assert {"wider", "deeper", "less_regularisation"} <= set(d.remedies)
    assert not {"dropout", "weight_decay", "l1", "augment"} & set(d.remedies)


def test_high_training_error_is_underfitting_even_with_a_gap() -> None:
    # Bias first: 65% train accuracy means the model cannot fit; the 20-point gap comes second.
    epochs = curve(
        [0.5, 0.6, 0.65, 0.65],
        [0.4, 0.45, 0.45, 0.45],
        [1.2, 1.0, 0.95, 0.95],
        [1.4, 1.3, 1.3, 1.3],
    )
    assert diagnose(epochs).verdict == "underfitting"


def test_underfitting_that_is_still_learning_suggests_training_longer_first() -> None:
    epochs = curve([0.3, 0.5, 0.6], [0.3, 0.5, 0.6], [1.6, 1.2, 0.9], [1.6, 1.2, 0.9])
    d = diagnose(epochs)
    assert d.verdict == "underfitting"
    assert d.remedies[0] == "longer"


def test_training_accuracy_below_validation_is_not_underfitting() -> None:
    # Dropout and augmentation lower the accuracy measured while training; validation is high.
    epochs = curve(
        [0.7, 0.76, 0.78, 0.78, 0.78],
        [0.8, 0.85, 0.86, 0.86, 0.86],
        [0.8, 0.6, 0.55, 0.55, 0.55],
        [0.5, 0.41, 0.40, 0.40, 0.40],
    )
    assert diagnose(epochs).verdict == "good fit"


def test_still_improving_when_validation_loss_keeps_falling() -> None:
    epochs = curve(
        train_acc=[0.7, 0.82, 0.88, 0.91],
        val_acc=[0.7, 0.82, 0.87, 0.90],
        train_loss=[0.9, 0.6, 0.45, 0.35],
        val_loss=[0.9, 0.6, 0.46, 0.36],
    )
    d = diagnose(epochs)
    assert d.verdict == "still improving"
    assert d.remedies == ("longer",)
    assert d.val_trend is not None and d.val_trend > 0.02
    assert d.best_epoch == 4 and d.val_loss_rise == 0.0


def test_good_fit_when_everything_is_flat_and_close() -> None:
    epochs = curve(
        train_acc=[0.9, 0.97, 0.98, 0.98, 0.98],
        val_acc=[0.88, 0.95, 0.96, 0.96, 0.96],
        train_loss=[0.3, 0.1, 0.07, 0.06, 0.06],
        val_loss=[0.35, 0.14, 0.12, 0.12, 0.12],
    )
    d = diagnose(epochs)
    assert d.verdict == "good fit"
    assert "ensemble" in d.remedies


@pytest.mark.parametrize(
    ("train_acc", "expected"), [(0.95, "still improving"), (0.4, "underfitting")]
)
def test_a_single_epoch_cannot_show_a_trend(train_acc: float, expected: str) -> None:
    d = diagnose(curve([train_acc], [train_acc - 0.02], [0.5], [0.55]))
    assert d.verdict == expected
    assert d.val_trend is None
    assert d.best_epoch == 1 and d.val_loss_rise == 0.0
    if expected == "underfitting":
        assert d.remedies[0] == "longer"


def test_nan_at_the_end_is_a_diverged_run() -> None:
    epochs = curve(
        [0.5, 0.6, math.nan], [0.5, 0.55, math.nan], [1.2, 1.0, math.nan], [1.2, 1.1, math.nan]
    )
    d = diagnose(epochs)
    assert d.diverged
    assert d.verdict == "underfitting"
    assert d.remedies == ("lower_lr",)
    assert d.best_epoch == 2  # the best finite epoch
    assert d.num_epochs == 3


def test_only_nan_epochs() -> None:
    nan = math.nan
    d = diagnose(curve([nan, nan], [nan, nan], [nan, nan], [nan, nan]))
    assert d.diverged and d.verdict == "underfitting" and d.remedies == ("lower_lr",)
    assert math.isnan(d.gap)
    assert diagnosis_lines(d, "en")  # explains without crashing on NaN


def test_a_nan_in_the_middle_is_skipped() -> None:
    nan = math.nan
    epochs = curve(
        [0.9, nan, 0.97, 0.98, 0.98],
        [0.88, nan, 0.96, 0.96, 0.96],
        [0.3, nan, 0.07, 0.06, 0.06],
        [0.35, nan, 0.12, 0.12, 0.12],
    )
    d = diagnose(epochs)
    assert not d.diverged
    assert d.verdict == "good fit"


def test_no_epochs_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one epoch"):
        diagnose([])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lines_give_the_numbers_in_both_languages(lang: str) -> None:
    epochs = curve([0.5, 1.0, 1.0], [0.5, 0.72, 0.7], [1.0, 0.05, 0.01], [1.0, 0.9, 1.3])
    lines = diagnosis_lines(diagnose(epochs), lang)
    text = " ".join(lines)
    assert "100.0%" in text and "70.0%" in text and "30.0" in text  # train, val, gap
    assert "0.900" in text and "0.400" in text  # lowest val loss and its rise
    if lang == "zh":
        assert "最终准确率" in text and "验证损失在第 2 轮最低" in text


def test_every_remedy_and_verdict_has_catalog_text() -> None:
    for remedy in REMEDY_IDS:
        assert f"lab.remedy.{remedy}" in CATALOG
        assert f"lab.remedy.{remedy}.why" in CATALOG
    for verdict in VERDICTS:
        assert f"lab.verdict.{verdict.replace(' ', '_')}" in CATALOG
        assert f"lab.verdict_why.{verdict.replace(' ', '_')}" in CATALOG


fractions = st.floats(0.0, 1.0)
losses = st.floats(0.0, 10.0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(fractions, fractions, losses, losses), min_size=1, max_size=30))
def test_any_finite_curve_gets_a_valid_verdict(
    points: list[tuple[float, float, float, float]],
) -> None:
    ta, va, tl, vl = (list(column) for column in zip(*points, strict=True))
    d = diagnose(curve(ta, va, tl, vl))
    assert d.verdict in VERDICTS
    assert d.remedies and set(d.remedies) <= set(REMEDY_IDS)
    assert d.val_loss_rise >= 0.0
    assert d.min_val_loss == min(vl)
    assert d.gap == pytest.approx(ta[-1] - va[-1])
    if d.verdict == "underfitting":
        assert max(ta[-1], va[-1]) < UNDERFIT_ACC


# ------------------------------------------- curve shapes x early stopping: the verdict table


def _shape(name: str, epochs: int = 30) -> list[EpochEnd]:
    """Hand-made curves of a named shape, ``epochs`` long (the table below describes each)."""
    n = np.arange(1, epochs + 1, dtype=np.float64)
    if name == "memorises":  # train acc -> 100%, val stalls at 70%, val loss U-shaped
        train_acc = np.minimum(1.0, 0.5 + 0.06 * n)
        val_acc = np.minimum(0.70, 0.45 + 0.04 * n)
        train_loss = 1.2 * np.exp(-n / 4)
        val_loss = 0.9 + 0.004 * (n - 10) ** 2
    elif name == "rises_with_a_small_gap":  # val loss rises 60% after epoch 10, gap ~5 points
        train_acc = np.minimum(0.95, 0.7 + 0.03 * n)
        val_acc = np.where(n <= 10, np.minimum(0.93, 0.68 + 0.03 * n), 0.90)
        train_loss = 0.8 * np.exp(-n / 6)
        val_loss = np.where(n <= 10, 1.0 - 0.06 * n, 0.4 + 0.012 * (n - 10))
    elif name == "still_falling":  # both losses still falling fast at the end, accuracies close
        train_acc = np.minimum(0.97, 0.6 + 0.015 * n)
        val_acc = train_acc - 0.01
        train_loss = 2.0 / (1 + 0.1 * n)
        val_loss = 2.1 / (1 + 0.1 * n) * np.exp(-n / 20)
    elif name == "settled":  # flat at the minimum: the textbook good fit
        train_acc = np.minimum(0.97, 0.7 + 0.05 * n)
        val_acc = np.minimum(0.95, 0.68 + 0.05 * n)
        train_loss = 0.1 + 0.9 * np.exp(-n / 3)
        val_loss = 0.15 + 0.9 * np.exp(-n / 3)
    elif name == "low_earlier_slight_rise":  # lowest 6 epochs before the end, 3% above it since
        train_acc = np.minimum(0.88, 0.6 + 0.02 * n)
        val_acc = np.minimum(0.84, 0.6 + 0.02 * n)
        val_loss = np.where(n <= epochs - 6, 1.0 - 0.0215 * n, 0.0)
        low = float(val_loss[epochs - 7])
        val_loss = np.where(n <= epochs - 6, val_loss, low * 1.03 + 0.002 * np.sin(n))
        train_loss = val_loss + 0.02
    elif name == "noisy_dip_to_an_old_low":  # a plateau with noise whose last epoch dips 1%
        train_acc = np.full(epochs, 0.86)
        val_acc = np.full(epochs, 0.82)
        val_loss = 0.40 + 0.05 * np.abs(np.sin(1.7 * n))
        val_loss[epochs - 8] = 0.363
        val_loss[-4:] = [0.41, 0.44, 0.47, 0.359]
        train_loss = val_loss + 0.03
    elif name == "cannot_fit":  # both accuracies low and flat
        train_acc = np.full(epochs, 0.42)
        val_acc = np.full(epochs, 0.38)
        train_loss = 1.5 + 0.3 * np.exp(-n / 3)
        val_loss = 1.6 + 0.3 * np.exp(-n / 3)
    else:
        raise ValueError(name)
    return curve(list(train_acc), list(val_acc), list(train_loss), list(val_loss))


def _stop_early(epochs: list[EpochEnd], patience: int = 8) -> list[EpochEnd]:
    """The epochs an early-stopping run with ``patience`` trains: it ends ``patience`` epochs
    after the last new low of the validation loss (as cnnviz.train.loop does)."""
    best, since = math.inf, 0
    for index, epoch in enumerate(epochs):
        if epoch.val_loss < best:
            best, since = epoch.val_loss, 0
        else:
            since += 1
            if since >= patience:
                return epochs[: index + 1]
    return epochs


# shape, verdict without early stopping, verdict when early stopping ended (or did not end) the run
VERDICT_TABLE = [
    ("memorises", "overfitting", "overfitting"),
    ("rises_with_a_small_gap", "overfitting", "good fit"),
    ("still_falling", "still improving", "still improving"),
    ("settled", "good fit", "good fit"),
    ("low_earlier_slight_rise", "good fit", "good fit"),
    ("noisy_dip_to_an_old_low", "good fit", "good fit"),
    ("cannot_fit", "underfitting", "underfitting"),
]


@pytest.mark.parametrize(("shape", "without", "with_early_stopping"), VERDICT_TABLE)
def test_verdict_table_with_early_stopping_off_and_on(
    shape: str, without: str, with_early_stopping: str
) -> None:
    full = _shape(shape)
    off = diagnose(full)
    assert off.verdict == without
    assert off.judged_epoch == full[-1].epoch and not off.early_stopping

    run = _stop_early(full)
    stopped = len(run) < len(full)
    on = diagnose(run, early_stopping=True, stopped_early=stopped)
    assert on.verdict == with_early_stopping
    assert "early_stop" not in on.remedies  # already on: never offered again
    if stopped:  # the verdict judges the weights early stopping kept: the best epoch's
        assert on.judged_epoch == on.best_epoch
        assert on.final_val_loss == on.min_val_loss
        assert on.verdict != "still improving"
    _assert_consistent(on)
    _assert_consistent(off)


def _assert_consistent(d: Diagnosis) -> None:
    """The verdict never contradicts the numbers shown beside it."""
    if d.verdict == "still improving":
        # "still falling" only when the lowest validation loss came within the last epochs
        assert d.num_epochs == 1 or d.best_epoch > d.num_epochs - TREND_WINDOW
        assert d.recent_gain is None or d.recent_gain >= IMPROVING_REL - 1e-9
        assert d.remedies == ("longer",)
    if d.verdict == "good fit":
        assert "longer" not in d.remedies
    if d.stopped_early:
        assert d.verdict != "still improving"
    if d.verdict != "overfitting" and not d.stopped_early:
        assert d.gap < GAP_OVERFIT


def test_still_improving_with_early_stopping_says_a_longer_run_is_safe() -> None:
    d = diagnose(_shape("still_falling"), early_stopping=True)
    assert d.verdict == "still improving" and d.remedies == ("longer",)
    text = " ".join(diagnosis_lines(d, "en"))
    assert "Early stopping is on" in text and "new low" in text
    zh = " ".join(diagnosis_lines(d, "zh"))
    assert "早停已开启" in zh


def test_early_stopping_that_ended_the_run_reports_the_kept_weights() -> None:
    run = _stop_early(_shape("rises_with_a_small_gap"))
    d = diagnose(run, early_stopping=True, stopped_early=True)
    assert d.judged_epoch == d.best_epoch == 10 and len(run) == 18
    text = " ".join(diagnosis_lines(d, "en"))
    assert "kept weights (epoch 10, restored by early stopping)" in text
    assert "lowest at epoch 10" in text  # and it rose after it: that is what early stopping cut


# ------------------------------------------------- the cure scenario's real run (bench_scenarios)

CURE_RUN = Path(__file__).parent / "fixtures" / "cure_run_seed0.json"


def _cure_run(last_epoch: int | None = None, final_rise: float | None = None) -> list[EpochEnd]:
    data = json.loads(CURE_RUN.read_text())
    rows = [e for e in data["epochs"] if last_epoch is None or e["epoch"] <= last_epoch]
    epochs = curve(
        [e["train_acc"] for e in rows],
        [e["val_acc"] for e in rows],
        [e["train_loss"] for e in rows],
        [e["val_loss"] for e in rows],
    )
    if final_rise is not None:  # the run as reported: its last epoch 3% above the epoch-54 low
        low = min(e.val_loss for e in epochs[:-1])
        epochs[-1] = dataclasses.replace(epochs[-1], val_loss=low * (1 + final_rise))
    return epochs


@pytest.mark.parametrize(
    ("last_epoch", "final_rise"),
    [(None, None), (None, 0.03), (59, None), (57, None)],
    ids=["as-run", "as-reported-3pct-rise", "59-epochs", "57-epochs"],
)
def test_the_cure_runs_verdict_agrees_with_its_numbers(
    last_epoch: int | None, final_rise: float | None
) -> None:
    """Scenario 3, seed 0 (``benchmarks/bench_scenarios.py --curves``): a noisy validation loss
    whose lowest value came at epoch 54 (or a 1% dip to about that low at the last epoch). It used
    to say "still improving: train longer" beside "lowest at epoch 54 and rose 3% after it", and
    offer "Train 2x longer" to a recipe with early stopping. It is a good fit: small gap, the loss
    settled, nothing to gain from more epochs."""
    epochs = _cure_run(last_epoch, final_rise)
    d = diagnose(epochs, early_stopping=True)
    assert d.verdict == "good fit"
    assert "longer" not in d.remedies and "early_stop" not in d.remedies
    assert d.gap < GAP_OVERFIT
    _assert_consistent(d)
    text = " ".join(diagnosis_lines(d, "en"))
    assert "still falling" not in text
    if final_rise is not None:
        assert d.best_epoch == 54 and "lowest at epoch 54" in text and "(3%)" in text


def test_a_last_epoch_dip_to_an_old_low_is_called_settled() -> None:
    d = diagnose(_cure_run(), early_stopping=True)
    assert d.best_epoch == 60 and d.recent_gain is not None and 0 < d.recent_gain < IMPROVING_REL
    text = " ".join(diagnosis_lines(d, "en"))
    assert "lowest at the last epoch (60, 0.359), but only 1.2% below" in text
    assert "it has settled" in text
