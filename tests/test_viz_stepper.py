"""Stepper figures and written sums: what is drawn where, frames, clicks, and the PyTorch line."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from torch import nn

from cnnviz.lessons import make_weights, sample_image
from cnnviz.ops import (
    ConvStep,
    conv_step,
    conv_transpose_step,
    max_pool2d,
    max_pool2d_backward,
    pool_step,
)
from cnnviz.viz import (
    THEME,
    Z_TEXT,
    conv_code,
    conv_stepper_figure,
    format_number,
    grid_figure,
    montage_figure,
    pool_backward_figure,
    pool_expression,
    pool_stepper_figure,
    softmax_figure,
    sum_expression,
    total_expression,
    window_positions_figure,
    written_sum,
)

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
    # "0" in the padding cells only (a constant texttemplate would write it over every cell)
    assert np.array_equal(np.array(pad.text) == "0", step.is_padding)
    assert pad.texttemplate == "%{text}" and not (np.array(pad.text)[~step.is_padding]).any()
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
    products = next(d for d in frame["data"] if "z" in d)  # items carry only what changes
    np.testing.assert_allclose(products["z"], step.at(1, 3).products[0])
    assert all(d.get("type", "heatmap") == "heatmap" for d in frame["data"])  # scatter: default


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
    assert kernel.texttemplate == Z_TEXT  # the 3x3 kernel keeps its numbers, sent once
    assert kernel.text is None and inp.text is None


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
    # row 5 and column 5 of rows 0..4: two rectangles (runs merged downwards), nothing else
    assert list(tint.x).count(None) == 2
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
    probs = softmax_figure(["a", "b"], np.array([0.25, 0.75]), "p")
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
    from cnnviz.net import conv_output_size

    fig = window_positions_figure(n, k, s, p, p, d)
    assert fig is not None
    grid = np.array(fig.data[0].z)
    assert grid.shape == (conv_output_size(n, k, s, p, d), n + 2 * p)
    for i, row in enumerate(grid):  # row i reads cells i*s + d*a
        assert list(np.flatnonzero(row == 2)) == [i * s + d * a for a in range(k)]
    assert window_positions_figure(224, 3, 1, 1, 1) is None  # too long to draw cell by cell


def _payload_step(channels: int = 3, size: int = 32) -> ConvStep:
    """The issue's case: a 3x32x32 input, 8 filters of 3x3, "same" padding."""
    names = ["vertical_edge", "horizontal_edge", "sobel_x", "sobel_y", "laplacian", "random"]
    names += ["sharpen", "box_blur"]
    x = sample_image(channels, size, size, "digit").astype(np.float64)
    w = make_weights(names, channels, 3, 3)
    return conv_step(x, w, np.linspace(-1, 1, 8), 1, "same", 1, out_index=(3, 5, 7))


def test_one_step_of_a_3x32x32_input_sends_under_100_kib() -> None:
    """Issue 9, item 24: a classroom shares one Wi-Fi. What st.plotly_chart sends for one step
    (``plotly.io.to_json``) stays under 100 KiB; it was ~345 KiB with 100 frames and texts."""
    import plotly.io as pio

    for index in ((3, 5, 7), (0, 0, 0), (7, 31, 31)):
        step = _payload_step()
        step = step.at(*index[1:]) if index != step.out_index else step
        size = len(pio.to_json(conv_stepper_figure(step, "zh"), validate=False))
        assert size < 100 * 1024, (index, size)


def test_big_outputs_play_a_regular_sub_grid_of_positions() -> None:
    fig = conv_stepper_figure(_payload_step(), "en")
    positions = sorted(int(f["name"]) for f in fig.to_dict()["frames"])
    grid = {(k // 32, k % 32) for k in positions} - {(5, 7)}  # the current cell is always in
    rows, cols = sorted({r for r, _ in grid}), sorted({c for _, c in grid})
    step = rows[1] - rows[0]
    assert rows == list(range(0, 32, step)) and cols == rows and step > 1
    assert grid == {(r, c) for r in rows for c in cols} and (5 * 32 + 7) in positions


def test_compact_cells_still_show_and_hover_the_same_numbers() -> None:
    """Numbers are sent once: cells write the values as format_number shows them, in a d3
    format (Z_TEXT) that prints them back exactly, so a browser writes the written sums'
    numbers (plotly's plain ``%{z}`` would write 1.2e-05 as "12μ")."""
    step = _seed_step((0, 1, 3))
    fig = conv_stepper_figure(step, "en")
    products = next(t for t in fig.data if t.type == "heatmap" and t.name == "Products")
    assert products.texttemplate == Z_TEXT and Z_TEXT in products.hovertemplate
    shown = [format_number(v) for v in np.asarray(products.z, dtype=float).ravel()]
    assert shown == [format_number(v) for v in step.products[0].ravel()]
    # float repr of the sent value == the text (what d3's "~r" prints too)
    assert [repr(float(v)).removesuffix(".0") for v in np.asarray(products.z).ravel()] == shown
    big = conv_stepper_figure(_payload_step(), "en")
    output = next(t for t in big.data if t.type == "heatmap" and t.name == "output")
    assert np.asarray(output.z).dtype == np.uint8  # colours only: the click layer hovers
    layer = next(t for t in big.data if t.type == "scatter" and t.customdata is not None)
    values = big_output_values()
    np.testing.assert_allclose(layer.marker.color, values, rtol=1e-6, atol=0.005)
    # the colours hold the shown numbers: 6 significant digits give each text back
    assert [format_number(float(f"{v:.6g}")) for v in layer.marker.color] == [
        format_number(v) for v in values
    ]
    assert "%{marker.color:.6~r}" in layer.hovertemplate


def test_numbers_needing_an_exponent_are_sent_as_texts() -> None:
    """d3 cannot write 1.2e-05 as Python does: then the products travel as texts, in the
    figure and in every frame, so cells and written sums still agree."""
    x = sample_image(1, 5, 5, "seed003") * 1e-4
    w = make_weights(["vertical_edge"], 1, 3, 3) * 0.12
    step = conv_step(x, w, None, 1, "same", 1, out_index=(0, 1, 3))
    fig = conv_stepper_figure(step, "en")
    products = next(t for t in fig.data if t.type == "heatmap" and t.name == "Products")
    # written in the cells when they are big enough, and in the hover always
    assert products.texttemplate in (None, "%{text}") and "%{text}" in products.hovertemplate
    assert list(np.asarray(products.text).ravel()) == [
        format_number(v) for v in step.products[0].ravel()
    ]
    assert any("e-" in str(v) for v in np.asarray(products.text).ravel())
    for frame in fig.to_dict()["frames"]:
        cells = next(d for d in frame["data"] if "z" in d)
        i, j = divmod(int(frame["name"]), 5)
        assert cells["text"] == [[format_number(v) for v in r] for r in step.at(i, j).products[0]]
    kernel = next(t for t in fig.data if t.type == "heatmap" and t.name == "Kernel")
    # 0.12: plain decimals, sent once as numbers (written in the cells when they fit)
    assert kernel.texttemplate in (None, Z_TEXT) and kernel.text is None


def big_output_values() -> np.ndarray:
    step = _payload_step()
    return step.output[step.out_index[0]].ravel()
