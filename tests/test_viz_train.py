"""Figures of the Train page: the data they plot is the data they were given, labels translated."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnviz.train import EpochEnd
from cnnviz.viz import (
    activation_figure,
    confusion_figure,
    display_image,
    epoch_figure,
    feature_map_figure,
    filters_figure,
    loss_figure,
    lr_figure,
    montage,
    norms_figure,
    per_class_figure,
    probability_figure,
)


def _epoch(n: int, **overrides: object) -> EpochEnd:
    values = {
        "epoch": n,
        "train_loss": 1.0 / n,
        "train_acc": 0.5 + 0.1 * n,
        "val_loss": 1.2 / n,
        "val_acc": 0.45 + 0.1 * n,
        "lr": 1e-3,
        "seconds": 1.0,
        "images_per_second": 1000.0,
        "grad_norms": {"1 Conv2d": 0.01 * n, "3 Linear": 1.0},
        "weight_norms": {"1 Conv2d": 2.0, "3 Linear": 3.0},
    }
    values.update(overrides)
    return EpochEnd(**values)  # type: ignore[arg-type]


def test_montage_places_every_tile_with_nan_gaps() -> None:
    maps = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3)
    tiled = montage(maps, columns=3, gap=1)
    assert tiled.shape == (2 * 2 + 1, 3 * 3 + 2)
    for c in range(5):
        top, left = (c // 3) * 3, (c % 3) * 4
        assert np.array_equal(tiled[top : top + 2, left : left + 3], maps[c])
    assert np.isnan(tiled[2]).all()  # the gap row
    assert np.isnan(tiled[:, 3]).all() and np.isnan(tiled[:, 7]).all()  # gap columns
    assert np.isnan(tiled[3:, 8:]).all()  # the empty sixth tile
    assert montage(maps).shape == (2 * 2 + 1, 3 * 3 + 2)  # default: ceil(sqrt(5)) = 3 columns


def test_loss_figure_plots_raw_and_smoothed() -> None:
    rows = np.array([[1, 2.0, 2.0], [2, 1.0, 1.47], [4, 0.5, 1.1]])
    fig = loss_figure(rows, "en")
    raw, smooth = fig.data
    assert list(raw.x) == [1, 2, 4] and list(raw.y) == [2.0, 1.0, 0.5]
    assert list(smooth.y) == [2.0, 1.47, 1.1]
    assert fig.layout.title.text == "Loss per batch"
    assert fig.layout.dragmode is False  # a live chart: nothing to select
    assert loss_figure(rows, "zh").layout.title.text == "每批的损失"


def test_epoch_figure_train_dashed_validation_solid_accuracy_in_percent() -> None:
    epochs = [_epoch(1), _epoch(2)]
    loss = epoch_figure(epochs, "loss", "en")
    assert list(loss.data[0].y) == [1.0, 0.5] and list(loss.data[1].y) == [1.2, 0.6]
    assert loss.data[0].line.dash == "dash" and loss.data[1].line.dash is None
    acc = epoch_figure(epochs, "acc", "en")
    assert list(acc.data[1].y) == pytest.approx([55.0, 65.0])
    assert acc.layout.yaxis.ticksuffix == "%"
    assert [trace.name for trace in epoch_figure(epochs, "acc", "zh").data] == ["训练", "验证"]


def test_norms_figure_one_trace_per_layer_on_a_log_axis() -> None:
    epochs = [_epoch(1), _epoch(2, grad_norms={"1 Conv2d": 0.0, "3 Linear": 2.0})]
    fig = norms_figure(epochs, "grad", "en")
    assert [trace.name for trace in fig.data] == ["1 Conv2d", "3 Linear"]
    assert fig.layout.yaxis.type == "log"
    assert list(fig.data[0].y) == [0.01, None]  # zero cannot be drawn on a log scale
    assert list(fig.layout.yaxis.tickvals) == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
    weights = norms_figure(epochs, "weight", "en")
    assert list(weights.data[1].y) == [3.0, 3.0]
    assert norms_figure([], "grad", "en").data == ()


def test_log_ticks_are_one_two_five_and_cover_the_data() -> None:
    from cnnviz.viz import log_ticks

    ticks = log_ticks([0.15, 0.9, 2.1])
    assert ticks == pytest.approx([0.1, 0.2, 0.5, 1.0, 2.0, 5.0])
    wide = log_ticks([1e-9, 1e3])
    assert all(math.log10(v) == round(math.log10(v)) for v in wide) and len(wide) == 13
    assert log_ticks([0.0, float("nan")]) == []


def test_lr_figure_downsamples_long_curves() -> None:
    rates = list(np.linspace(1.0, 0.0, 10_000))
    fig = lr_figure(rates, steps_per_epoch=100, lang="en")
    assert len(fig.data[0].x) <= 2000
    assert fig.data[0].x[0] == 0 and fig.data[0].y[0] == 1.0
    assert fig.data[0].x[-1] == pytest.approx(99.95)


def test_feature_map_figure_is_one_montage_heatmap() -> None:
    rng = np.random.default_rng(0)
    maps = rng.normal(size=(8, 5, 5)).astype(np.float32)
    fig = feature_map_figure("1 Conv2d 8@3x3", maps, "en")
    (heat,) = fig.data
    assert heat.type == "heatmap"
    columns = 4  # ceil(sqrt(16))
    np.testing.assert_array_equal(heat.z, montage(maps, columns, 1))
    assert heat.zmid == 0.0  # signed values: a diverging scale centred on 0
    assert heat.customdata[0, 0] == 1 and heat.customdata[6, 6] == 6  # channel numbers
    assert fig.layout.title.text == "1 Conv2d 8@3x3: 8 feature maps of 5x5"
    positive = feature_map_figure("pool", np.abs(maps), "zh")
    # one diverging scale for every map, so one caption ("blue negative, red positive") is true
    assert positive.data[0].zmid == 0.0
    assert positive.data[0].colorscale == heat.colorscale
    assert positive.layout.title.text == "pool:8 张 5x5 的特征图"


def test_filters_figure_gray_heatmap_and_rgb_image() -> None:
    gray = filters_figure(np.ones((6, 1, 3, 3), dtype=np.float32), "en")
    assert gray.data[0].type == "heatmap"
    assert gray.layout.title.text == "First layer's filters: 6 kernels of 3x3"
    rgb_filters = np.zeros((4, 3, 2, 2), dtype=np.float32)
    rgb_filters[0, 0] = 1.0  # a pure red filter
    rgb = filters_figure(rgb_filters, "en")
    image = np.asarray(rgb.data[0].z)
    assert rgb.data[0].type == "image" and image.shape == (2, 4 * 3 - 1, 3)
    assert tuple(image[0, 0]) == (255, 0, 0)


def test_confusion_and_per_class_figures() -> None:
    matrix = np.array([[5, 1], [0, 4]])
    fig = confusion_figure(matrix, ["cat", "dog"], "en")
    np.testing.assert_array_equal(fig.data[0].z, matrix)
    assert list(fig.data[0].x) == ["cat", "dog"] and fig.layout.yaxis.autorange == "reversed"
    bars = per_class_figure(np.array([5 / 6, np.nan]), ["cat", "dog"], "en")
    assert list(bars.data[0].y) == [pytest.approx(500 / 6), None]


def test_probability_and_activation_figures() -> None:
    fig = probability_figure(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"], "en")
    assert list(fig.data[0].x) == pytest.approx([10, 70, 20])
    colors = list(fig.data[0].marker.color)
    assert colors[1] != colors[0] == colors[2]  # the winner stands out
    vector = activation_figure("7 Flatten", np.arange(10, dtype=np.float32), "en")
    assert vector.data[0].type == "bar" and len(vector.data[0].y) == 10
    assert vector.layout.title.text == "7 Flatten: 10 values"
    capped = activation_figure("7 Flatten", np.arange(10, dtype=np.float32), "en", total=784)
    assert capped.layout.title.text == "7 Flatten: 784 values (the first 10 shown)"
    maps = activation_figure("1 Conv2d", np.ones((2, 4, 4), dtype=np.float32), "en")
    assert maps.data[0].type == "heatmap"


def test_display_image_undoes_the_normalisation() -> None:
    pixels = np.array([[[0.0, 0.5], [1.0, 0.25]]], dtype=np.float32)  # (1, 2, 2)
    normalised = (pixels - 0.3) / 0.2
    shown = display_image(normalised, (0.3,), (0.2,))
    assert shown.dtype == np.uint8 and shown.shape == (2, 2)
    np.testing.assert_array_equal(shown, np.round(pixels[0] * 255).astype(np.uint8))
    colour = display_image(np.zeros((3, 2, 2), dtype=np.float32), (0.1, 0.2, 0.3), (1, 1, 1))
    assert colour.shape == (2, 2, 3) and tuple(colour[0, 0]) == (26, 51, 77)
