"""Stepper figures and written sums: what is drawn where, frames, clicks, and the PyTorch line."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from torch import nn

from cnnviz.kernels import make_weights
from cnnviz.ops_conv import ConvStep, conv_step
from cnnviz.ops_pool import max_pool2d, max_pool2d_backward, pool_step
from cnnviz.ops_transposed import conv_transpose_step
from cnnviz.samples import sample_image
from cnnviz.viz_conv import (
    conv_code,
    conv_stepper_figure,
    sum_expression,
    total_expression,
    written_sum,
)
from cnnviz.viz_grid import grid_figure, montage_figure, probability_figure, window_positions_figure
from cnnviz.viz_pool import pool_backward_figure, pool_expression, pool_stepper_figure
from cnnviz.viz_theme import THEME, format_number

torch.set_num_threads(1)


def _seed_step(index: tuple[int, int, int] = (0, 1, 2), bias: float | None = 0.5) -> ConvStep:
    x = sample_image(1, 5, 5, "seed003")
    w = make_weights(["vertical_edge"], 1, 3, 3)
    b = None if bias is None else np.array([bias])
    return conv_step(x, w, b, 1, "same", 1, out_index=index)


def _trace(fig: go.Figure, name: str, kind: str = "scatter") -> go.BaseTraceType:
    return next(t for t in fig.data if t.type == kind and t.name == name)


def _xs(trace: go.BaseTraceType) -> list[float]:
    return [v for v in trace.x if v is not None]


def _ys(trace: go.BaseTraceType) -> list[float]:
    return [v for v in trace.y if v is not None]


def test_format_number() -> None:
    assert format_number(3.0) == "3"
    assert format_number(-2.0) == "-2"
    assert format_number(0.25) == "0.25"
    assert format_number(1 / 3) == "0.33"
    assert format_number(12.345) == "12.3"
    assert format_number(-1234.5) == "-1234" or format_number(-1234.5) == "-1235"
    assert format_number(-np.inf) == "-∞"
    assert format_number(np.nan) == ""
    assert format_number(0.004) == "0.004"


def test_sum_expressions_are_the_arithmetic() -> None:
    assert sum_expression(np.array([1.0, 2.0]), np.array([3.0, -1.0])) == "1×3 + 2×(-1) = 1"
    assert total_expression([-3, 2], 0.5, -0.5) == "(-3) + 2 + 0.5 = -0.5"
    assert total_expression([4], None, 4) == "4 = 4"
    step = _seed_step((0, 0, 0))
    (line,) = written_sum(step, "channel", "bias", "total")
    assert line == "0×1 + 0×0 + 0×(-1) + 0×1 + 0×0 + 1×(-1) + 0×1 + 1×0 + 2×(-1) + bias 0.5 = -2.5"
    # every written term evaluates to the total the output cell holds
    expression = line.rsplit(" = ", 1)[0].replace("×", "*").replace("bias", "")
    assert eval(expression) == pytest.approx(step.output[0, 0, 0])


def test_written_sum_with_channels_lists_partials_and_total() -> None:
    x = sample_image(3, 4, 4, "random_int", seed=1)
    w = make_weights(["random"], 3, 2, 2, seed=3)
    step = conv_step(x, w, None, 1, 0, 1, out_index=(0, 1, 2))
    lines = written_sum(step, "channel", "bias", "total")
    assert len(lines) == 4
    for c, line in enumerate(lines[:3]):
        assert line.startswith(f"channel {c}: ")
        assert line.endswith(f"= {format_number(step.partial_sums[c])}")
    assert lines[3].startswith("total: ") and "bias" not in lines[3]
    assert lines[3].endswith(f"= {format_number(step.output[0, 1, 2])}")


def test_conv_figure_draws_the_window_on_the_cells_it_reads() -> None:
    step = _seed_step((0, 1, 3))
    fig = conv_stepper_figure(step, "en")
    window = _trace(fig, "current window")
    # bounding box of padded rows 1..3, cols 3..5 (cell centres are integers)
    assert min(_xs(window)) == 3 - 0.5 and max(_xs(window)) == 5 + 0.5
    assert min(_ys(window)) == 1 - 0.5 and max(_ys(window)) == 3 + 0.5
    # the padding overlay covers exactly the padding ring, written as 0
    pad = next(t for t in fig.data if t.type == "heatmap" and t.name == "padding")
    z = np.array(pad.z, dtype=float)
    assert np.array_equal(~np.isnan(z), step.is_padding)
    # the output panel holds the conv output
    out = next(t for t in fig.data if t.type == "heatmap" and t.name == "output")
    np.testing.assert_allclose(np.array(out.z, dtype=float), step.output[0])
    written = [t.text[0] for t in fig.data if t.type == "scatter" and t.mode == "text"]
    assert written == ["Σ = 6", "(1, 3) = 6 + 0.5 = 6.5"]
    cover = next(t for t in fig.data if t.type == "scatter" and t.fillcolor == THEME.cover_fill)
    # cells after (1, 3) in raster order are covered: (1, 4) and rows 2..4
    assert min(_xs(cover)) == -0.5 and max(_xs(cover)) == 4.5
    assert min(_ys(cover)) == 0.5 and max(_ys(cover)) == 4.5


def test_dilated_window_marks_every_read_cell() -> None:
    x = np.arange(49.0).reshape(1, 7, 7)
    step = conv_step(x, np.ones((1, 1, 3, 3)), None, 1, 0, 2, out_index=(0, 0, 0))
    window = _trace(conv_stepper_figure(step, "en", animate=False), "current window")
    boxes = [v for v in window.x].count(None)
    assert boxes == 1 + 9  # the bounding box and a small box on each of the 9 cells read


def test_click_layer_returns_output_coordinates() -> None:
    step = _seed_step()
    fig = conv_stepper_figure(step, "en")
    layer = next(t for t in fig.data if t.customdata is not None and t.type == "scatter")
    assert layer.mode == "markers"
    assert len(layer.x) == 25
    pairs = {(int(a), int(b)) for a, b in layer.customdata}
    assert pairs == {(i, j) for i in range(5) for j in range(5)}
    assert layer.marker.opacity <= 0.05  # invisible but clickable
    assert fig.layout.clickmode == "event+select"


def test_frames_replay_every_position_with_play_buttons() -> None:
    step = _seed_step((0, 0, 0))
    fig = conv_stepper_figure(step, "zh")
    frames = fig.to_dict()["frames"]  # what st.plotly_chart sends
    assert len(frames) == 25
    assert [f["name"] for f in frames] == [str(k) for k in range(25)]
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["▶ 慢速", "▶ 播放", "▶ 快速", "⏸ 暂停"]
    durations = [b.args[1]["frame"]["duration"] for b in fig.layout.updatemenus[0].buttons[:3]]
    assert durations == list(THEME.speeds_ms)
    # frame k moves the window to position k and rewrites the sums under the grids
    frame = frames[8]  # (1, 3)
    window = frame["data"][0]
    assert min(v for v in window["x"] if v is not None) == 2.5
    assert min(v for v in window["y"] if v is not None) == 0.5
    texts = [d["text"][0] for d in frame["data"] if "text" in d and "z" not in d]
    assert texts == ["Σ = 6", "(1, 3) = 6 + 0.5 = 6.5"]
    products = next(d for d in frame["data"] if d["type"] == "heatmap")
    np.testing.assert_allclose(products["z"], step.at(1, 3).products[0])


def test_big_outputs_sample_frames_and_hide_cell_text() -> None:
    x = sample_image(1, 32, 32, "digit")
    step = conv_step(x, make_weights(["sobel_x"], 1, 3, 3), None, 1, "same", 1, out_index=(0, 5, 5))
    fig = conv_stepper_figure(step, "en")
    frames = fig.to_dict()["frames"]
    assert len(frames) <= THEME.max_frames + 1
    assert str(5 * 32 + 5) in {f["name"] for f in frames}  # the current position is always there
    inp = next(t for t in fig.data if t.type == "heatmap" and t.name == "input")
    assert inp.texttemplate is None  # 34x34 cells are too small for numbers: hover only
    kernel = next(t for t in fig.data if t.type == "heatmap" and t.name == "Kernel")
    assert kernel.texttemplate == "%{text}"  # the 3x3 kernel keeps its numbers


def test_transposed_figure_marks_inserted_zeros() -> None:
    x = np.arange(1.0, 5.0).reshape(1, 2, 2)
    w = np.ones((1, 1, 3, 3))
    step = conv_transpose_step(x, w, None, stride=2, padding=0, out_index=(0, 0, 0))
    fig = conv_stepper_figure(step, "en", animate=False)
    inserted = next(t for t in fig.data if t.type == "heatmap" and t.name == "inserted zeros")
    assert np.array_equal(~np.isnan(np.array(inserted.z, dtype=float)), step.is_inserted)
    legend = {t.name for t in fig.data if t.showlegend}
    assert {"current window", "padding", "inserted zeros"} <= legend


def test_floor_truncation_is_tinted() -> None:
    x = np.zeros((1, 6, 6))
    step = conv_step(x, np.ones((1, 1, 3, 3)), None, 2, 0, 1)  # (6-3) % 2 = 1 row/col unused
    fig = conv_stepper_figure(step, "en", animate=False)
    tint = next(
        t
        for t in fig.data
        if t.name == "no window reaches (floor)" and t.type == "scatter" and t.fill
    )
    # row 5 (one run) and column 5 of rows 0..4 (five runs); nothing else
    assert list(tint.x).count(None) == 6
    assert max(_xs(tint)) == 5.5 and max(_ys(tint)) == 5.5
    assert min(_xs(tint)) == -0.5 and min(_ys(tint)) == -0.5


def test_pool_figures_and_expression() -> None:
    x = np.array([[[1.0, 5.0, 2.0, 0.0], [4.0, 3.0, 9.0, 1.0]]])
    step = pool_step(x, "max", 2, 2, 0, (0, 0, 1))
    assert pool_expression(step) == "max(2, 0, 9, 1) = 9"
    fig = pool_stepper_figure(step, "en")
    winner = _trace(fig, "maximum (arg-max)")
    assert min(_xs(winner)) == 1.5 and min(_ys(winner)) == 0.5  # the 9 at (1, 2)
    assert len(fig.to_dict()["frames"]) == 2
    avg = pool_step(x, "avg", 2, 2, 1, (0, 0, 0))
    assert pool_expression(avg) == "(0 + 0 + 0 + 1) / 4 = 0.25"
    grad_in = max_pool2d_backward(np.array([[[2.0, 3.0]]]), max_pool2d(x, 2, 2)[1], x.shape)
    back = pool_backward_figure(np.array([[2.0, 3.0]]), grad_in[0], step, "zh")
    receive = _trace(back, "接收当前梯度的格子")
    assert min(_xs(receive)) == 1.5 and min(_ys(receive)) == 0.5


def test_grid_montage_probability_figures_build() -> None:
    grid = grid_figure(
        np.arange(9.0).reshape(3, 3), "title", highlight=[(0, 0)], highlight_label="x"
    )
    assert any(a.text == "title" for a in grid.layout.annotations)
    montage = montage_figure(
        np.random.default_rng(0).normal(size=(4, 5, 5)), list("abcd"), current=2
    )
    assert sum(t.type == "heatmap" for t in montage.data) == 4
    probs = probability_figure(["a", "b"], np.array([0.25, 0.75]), "p")
    assert list(probs.data[0].text) == ["0.2500", "0.7500"]


@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"padding": (1, 1, 1, 1)}, (1, 4, 5, 5)),
        ({"padding": "same"}, (1, 4, 5, 5)),
        ({"padding": (0, 2, 1, 0), "stride": (2, 1)}, (1, 4, 3, 4)),
        ({"padding": (0, 0, 0, 0), "dilation": (2, 2), "groups": 2, "bias": False}, (1, 4, 1, 1)),
        (
            {
                "transposed": True,
                "padding": (1, 1, 0, 0),
                "stride": (2, 2),
                "output_padding": (1, 0),
            },
            (1, 4, 10, 11),
        ),
    ],
)
def test_conv_code_builds_the_same_layer_in_pytorch(
    kwargs: dict[str, object], shape: tuple[int, ...]
) -> None:
    code = conv_code(2, 4, (3, 3), **kwargs)  # type: ignore[arg-type]
    layer = eval(code, {"nn": nn})
    with torch.no_grad():
        out = layer(torch.zeros(1, 2, 5, 5))
    assert tuple(out.shape) == shape
    if kwargs.get("padding") == (0, 2, 1, 0):
        assert re.search(r"ZeroPad2d\(\(1, 0, 0, 2\)\)", code)


def test_every_figure_is_valid_plotly_including_frames() -> None:
    """The figures skip plotly's validation for speed: re-validate them here, frames included."""
    x = sample_image(2, 6, 6, "random_int")
    conv = conv_step(
        x, make_weights(["random", "sobel_x"], 2, 3, 3), np.ones(2), 1, (1, 0, 2, 1), 1
    )
    pool = pool_step(x, "max", 3, 2, 1, (1, 0, 0))
    figures = [
        conv_stepper_figure(conv, "en"),
        conv_stepper_figure(conv_transpose_step(x, np.ones((2, 1, 2, 2)), None, 2), "zh"),
        pool_stepper_figure(pool, "en"),
        pool_backward_figure(np.ones((3, 3)), np.zeros((6, 6)), pool, "en"),
        grid_figure(
            x[0], "t", padding_mask=np.eye(6, dtype=bool), inserted_mask=np.eye(6, dtype=bool)[::-1]
        ),
        montage_figure(x, ["a", "b"], current=0),
        window_positions_figure(7, 3, 2, 1, 1, 1, "zh"),
    ]
    for fig in figures:
        for trace in fig.to_dict()["data"]:
            # plotly.js does not know plotly.py names such as "RdBu_r": scales must be explicit
            assert not isinstance(trace.get("colorscale", []), str)
        rebuilt = go.Figure(fig.to_dict())  # raises on any invalid attribute
        assert len(rebuilt.data) == len(fig.data)
        assert len(rebuilt.frames) == len(fig.to_dict().get("frames", []))


@pytest.mark.parametrize(
    ("n", "k", "s", "p", "d"), [(5, 3, 1, 1, 1), (7, 3, 2, 0, 1), (10, 3, 3, 1, 2)]
)
def test_window_positions_figure_has_one_row_per_output(
    n: int, k: int, s: int, p: int, d: int
) -> None:
    from cnnviz.arithmetic import conv_output_size

    fig = window_positions_figure(n, k, s, p, p, d)
    assert fig is not None
    grid = np.array(fig.data[0].z)
    assert grid.shape == (conv_output_size(n, k, s, p, d), n + 2 * p)
    for i, row in enumerate(grid):  # row i reads cells i*s + d*a
        assert list(np.flatnonzero(row == 2)) == [i * s + d * a for a in range(k)]
    assert window_positions_figure(224, 3, 1, 1, 1) is None  # too long to draw cell by cell
