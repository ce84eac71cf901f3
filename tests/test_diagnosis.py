"""diagnose() on hand-made curves: each verdict, the numbers behind it, edge cases (1 epoch, NaN)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.diagnosis import (
    GAP_OVERFIT,
    REMEDY_IDS,
    UNDERFIT_ACC,
    VERDICTS,
    diagnose,
    diagnosis_lines,
)
from cnnviz.i18n import CATALOG
from cnnviz.training import EpochEnd


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
