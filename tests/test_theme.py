"""The one figure theme: compact totals, and the text sizes every figure keeps (>= 14 px)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnviz.data import DataConfig, load_dataset
from cnnviz.lab import SweepPoint
from cnnviz.lessons import make_weights, sample_image
from cnnviz.net import PRESETS, infer
from cnnviz.ops import conv_step, max_pool2d, max_pool2d_backward, pool_step
from cnnviz.train import EpochEnd
from cnnviz.viz import (
    TYPE,
    CurveSeries,
    confusion_figure,
    conv_stepper_figure,
    curves_figure,
    ensemble_figure,
    epoch_figure,
    feature_map_figure,
    filters_figure,
    format_compact,
    grid_figure,
    loss_figure,
    lr_figure,
    montage_figure,
    network_diagram,
    norms_figure,
    params_bar,
    per_class_figure,
    pool_backward_figure,
    pool_stepper_figure,
    probability_figure,
    sample_grid,
    softmax_figure,
    sweep_figure,
    weights_figure,
    window_positions_figure,
)
from cnnviz.viz.theme import text_px, wrap_text

_UNITS = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (5_958, "5,958"),  # short enough: written in full
        (9_999, "9,999"),
        (10_000, "10.00 K"),
        (286_944, "286.9 K"),
        (99_995, "100.0 K"),  # rounding carries into a fourth digit
        (999_999, "1.000 M"),  # ... and into the next unit
        (60_965_224, "60.97 M"),  # AlexNet's parameters
        (724_406_816, "724.4 M"),
        (1_135_906_176, "1.136 G"),
        (-60_965_224, "-60.97 M"),
        (123_456_789_012_345, "123.5 T"),
    ],
)
def test_compact_totals(value: float, text: str) -> None:
    assert format_compact(value) == text


@given(st.integers(10_000, 10**15))
def test_a_compact_total_reads_back_within_rounding(value: int) -> None:
    """Four significant digits: the number a student reads back is within 0.05% of the exact one,
    and never longer than "999.9 M" (it fits where the exact one was cut)."""
    number, unit = format_compact(value).split(" ")
    assert abs(float(number) * _UNITS[unit] - value) <= 5e-4 * value
    assert len(number.replace(".", "").lstrip("-")) <= 4 and len(number) <= 5


def test_compact_totals_of_odd_values() -> None:
    assert format_compact(math.inf) == "∞"
    assert format_compact(1234.0) == "1,234"  # a float count below the threshold: in full


# ------------------------------------------------------------------ every figure's text >= 14 px


def _epochs(count: int = 6) -> list[EpochEnd]:
    return [
        EpochEnd(
            epoch=i + 1,
            train_loss=1.0 / (i + 1),
            train_acc=0.5 + 0.08 * i,
            val_loss=1.2 / (i + 1) + 0.02 * i,
            val_acc=0.45 + 0.07 * i,
            lr=1e-3,
            seconds=0.5,
            images_per_second=1000.0,
            grad_norms={"conv1": 0.1 * (i + 1), "fc": 0.2},
            weight_norms={"conv1": 1.0, "fc": 2.0},
        )
        for i in range(count)
    ]


def _every_figure() -> list[tuple[str, go.Figure]]:
    """One figure from every builder in cnnviz.viz, in English and Chinese."""
    x = sample_image(2, 6, 6, "random_int")
    conv = conv_step(x, make_weights(["random", "sobel_x"], 2, 3, 3), np.ones(2), 1, "same", 1)
    pool = pool_step(x, "max", 2, 2, 0, (0, 0, 1))
    grad_in = max_pool2d_backward(np.ones((1, 3, 3)), max_pool2d(x[:1], 2, 2)[1], (1, 6, 6))[0]
    bundle = load_dataset(DataConfig(num_samples=60))
    rng = np.random.default_rng(0)
    figures: list[tuple[str, go.Figure]] = []
    for lang in ("en", "zh"):
        summary = infer(PRESETS["alexnet2012"])
        series = [CurveSeries("a", "a", _epochs()), CurveSeries("b", "b", _epochs(4))]
        figures += [
            ("diagram", network_diagram(summary, lang)),
            ("params_bar", params_bar(summary, lang)),
            ("conv", conv_stepper_figure(conv, lang)),
            ("pool", pool_stepper_figure(pool, lang)),
            ("pool_backward", pool_backward_figure(np.ones((3, 3)), grad_in, pool, lang)),
            ("grid", grid_figure(x[0], "t", lang=lang)),
            ("montage", montage_figure(x, ["a", "b"], current=0, lang=lang)),
            ("softmax", softmax_figure(["a", "b"], np.array([0.25, 0.75]), "p", lang)),
            ("positions", window_positions_figure(7, 3, 2, 1, 1, 1, lang)),
            ("curves", curves_figure(series, lang)),
            ("sweep", sweep_figure([SweepPoint(0.5, 500, 0.2, 0.3)] * 3, lang)),
            ("weights", weights_figure([("L2", rng.normal(size=200))], lang)),
            ("ensemble", ensemble_figure(["a", "b"], [0.8, 0.7], 0.85, lang)),
            ("loss", loss_figure(np.array([[1, 1.0, 1.0], [2, 0.5, 0.8]]), lang)),
            ("epoch", epoch_figure(_epochs(), "acc", lang)),
            ("lr", lr_figure([1e-3, 5e-4], 1, lang)),
            ("norms", norms_figure(_epochs(), "grad", lang)),
            ("confusion", confusion_figure(np.eye(3, dtype=int), ["a", "b", "c"], lang)),
            ("per_class", per_class_figure(np.array([0.5, 1.0]), ["a", "b"], lang)),
            ("probability", probability_figure(np.array([0.2, 0.8]), ["a", "b"], lang)),
            ("maps", feature_map_figure("1 Conv2d", rng.normal(size=(4, 5, 5)), lang)),
            ("filters", filters_figure(rng.normal(size=(4, 1, 3, 3)).astype(np.float32), lang)),
            ("samples", sample_grid(bundle, 8, lang)),
        ]
    return figures


def _font_sizes(node: object, path: str = "") -> list[tuple[str, float]]:
    """Every ``size`` under a ``font``, ``textfont`` or ``tickfont`` key of a figure's JSON."""
    found: list[tuple[str, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":  # plotly's defaults, overridden by the figure's own sizes
                continue
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                sizes = value["size"]
                for size in sizes if isinstance(sizes, list) else [sizes]:
                    found.append((f"{path}.{key}", float(size)))
            found += _font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            found += _font_sizes(item, path)
    return found


@pytest.mark.parametrize(("name", "fig"), _every_figure())
def test_every_figure_writes_its_text_at_14_px_or_more(name: str, fig: go.Figure) -> None:
    """Readable from the back row: a figure sets its global font, and every explicit size
    (titles, ticks, legends, annotations, cell numbers, buttons) is at least TYPE.min_px."""
    spec = fig.to_dict()
    layout = spec["layout"]
    assert layout.get("font", {}).get("size", 0) >= TYPE.min_px, name
    small = [(where, size) for where, size in _font_sizes(spec) if size < TYPE.min_px]
    assert not small, (name, small)
    # an axis whose ticks are drawn sets their size (a page theme would otherwise use 12 px)
    axes = {key: axis for key, axis in layout.items() if key.startswith(("xaxis", "yaxis"))}
    for key, axis in axes.items():
        if axis.get("showticklabels", True) and axis.get("visible", True):
            assert axis.get("tickfont", {}).get("size", 0) >= TYPE.min_px, (name, key)


# ------------------------------------------------------------------ titles that wrap instead of clip


@pytest.mark.parametrize("width", [60.0, 120.0, 200.0, 1000.0])
def test_wrap_text_keeps_every_word_and_each_line_within_the_width(width: float) -> None:
    text = "Kernel (vertical edge detector) applied to the padded input"
    lines = wrap_text(text, width)
    assert " ".join(lines) == text
    for line in lines:
        assert text_px(line, TYPE.body_px) <= width or " " not in line


def test_a_grid_title_wider_than_its_grid_takes_more_lines_and_stays_inside() -> None:
    long_title = "Kernel (vertical edge detector) of the article's first convolution"
    fig = grid_figure(np.ones((3, 3)), long_title, max_px=90)
    title = fig.layout.annotations[0].text
    assert title.replace("<br>", " ") == long_title and "<br>" in title
    short = grid_figure(np.ones((3, 3)), "Kernel", max_px=90)
    # the extra lines get their own room above the grid
    assert fig.layout.height > short.layout.height


def test_a_grid_legend_wider_than_its_grid_takes_more_lines() -> None:
    label = "wrong in the article's first pass"
    fig = grid_figure(
        np.ones((5, 5)), "Conv 1 output", max_px=100, highlight=[(0, 0)], highlight_label=label
    )
    names = [trace.name for trace in fig.data if trace.showlegend]
    assert any(name and name.replace("<br>", " ") == label and "<br>" in name for name in names)


def test_readable_figure_equals_readable_fonts_on_the_built_figure() -> None:
    """The dict-level shortcut gives exactly the figure readable_fonts makes (every axis,
    annotation, title and legend font), for a figure with several subplots."""
    from cnnviz.viz.theme import readable_figure, readable_fonts

    spec = {
        "data": [
            {"type": "bar", "x": [1, 2], "y": [3, 4], "xaxis": "x", "yaxis": "y"},
            {"type": "bar", "x": [1, 2], "y": [3, 4], "xaxis": "x2", "yaxis": "y2"},
        ],
        "layout": {
            "title": {"text": "t", "font": {"color": "red"}},
            "xaxis": {"domain": [0, 0.4]},
            "xaxis2": {"domain": [0.6, 1], "tickfont": {"color": "blue"}},
            "yaxis2": {"anchor": "x2"},
            "annotations": [{"text": "a", "x": 0, "y": 0, "font": {"color": "green"}}],
        },
    }
    expected = readable_fonts(go.Figure(spec)).to_plotly_json()
    assert readable_figure(spec).to_plotly_json() == expected
