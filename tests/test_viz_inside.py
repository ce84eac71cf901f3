"""Pictures and figures of the /inside page: PNG downloads decode to the picture with square
pixels, boxes outline the right input pixels, heat covers a picture where it is large, the map
cells answer clicks, and the 2-D map marks the misclassified points."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageColor

from cnnviz.viz import (
    PALETTE,
    cell_map_figure,
    draw_box,
    enlarge,
    heat_overlay,
    invariance_figure,
    picture_rgb,
    png_bytes,
    probe_map_figure,
    tile_pictures,
)


def test_png_bytes_decode_to_the_enlarged_picture() -> None:
    rgb = np.random.default_rng(0).integers(0, 256, (28, 28, 3), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(png_bytes(rgb))).convert("RGB"))
    assert decoded.shape == (224, 224, 3)  # 8x, square pixels
    assert np.array_equal(decoded[::8, ::8], rgb)
    assert np.array_equal(decoded, enlarge(rgb))
    as_is = np.asarray(Image.open(io.BytesIO(png_bytes(rgb, enlarge_to=None))).convert("RGB"))
    assert np.array_equal(as_is, rgb)


def test_picture_rgb_turns_grey_pixels_into_rgb() -> None:
    pixels = np.array([[[0.0, 0.5], [1.0, 2.0]]])  # (1, 2, 2), one value out of range
    rgb = picture_rgb(pixels)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert rgb[:, :, 0].tolist() == [[0, 128], [255, 255]]
    assert np.array_equal(rgb[..., 0], rgb[..., 2])


def test_draw_box_outlines_exactly_the_field_pixels() -> None:
    rgb = np.zeros((28, 28, 3), dtype=np.uint8)
    boxed = draw_box(rgb, (2, 3, 11, 12))  # rows 2..11, columns 3..12
    colour = np.array(ImageColor.getrgb(PALETTE.field_line))
    drawn = np.all(boxed == colour, axis=-1)
    rows, cols = np.nonzero(drawn)
    assert (rows.min(), rows.max()) == (2 * 8, 12 * 8 - 1)
    assert (cols.min(), cols.max()) == (3 * 8, 13 * 8 - 1)
    assert not drawn[5 * 8 : 9 * 8, 6 * 8 : 10 * 8].any()  # inside stays the picture


def test_heat_covers_the_picture_where_it_is_large() -> None:
    rgb = np.full((4, 4, 3), 128, dtype=np.uint8)
    heat = np.zeros((4, 4))
    heat[1, 2] = 5.0
    mixed = heat_overlay(rgb, heat)
    assert np.array_equal(mixed[0, 0], rgb[0, 0])  # no heat: the picture
    assert not np.array_equal(mixed[1, 2], rgb[1, 2])
    signed = np.zeros((4, 4))
    signed[0, 0], signed[3, 3] = -1.0, 1.0
    both = heat_overlay(rgb, signed, signed=True)
    assert np.array_equal(both[1, 1], rgb[1, 1])  # zero is neutral
    assert both[0, 0, 2] > both[0, 0, 0] and both[3, 3, 0] > both[3, 3, 2]  # blue < 0 < red


def test_tiles_keep_every_picture() -> None:
    pictures = [np.full((5, 6, 3), i * 20, np.uint8) for i in range(9)]
    tiled = tile_pictures(pictures, 3, gap=2)
    assert tiled.shape == (3 * 5 + 4, 3 * 6 + 4, 3)
    assert np.array_equal(tiled[7:12, 8:14], pictures[4])


def test_every_map_cell_answers_a_click_with_its_row_and_column() -> None:
    values = np.arange(12, dtype=np.float32).reshape(3, 4)
    figure = cell_map_figure(values, "map", (1, 2))
    heat, markers = figure.data
    assert heat.type == "heatmap" and heat.hoverinfo == "skip"
    assert markers.type == "scatter" and len(markers.x) == 12
    # hoverinfo "skip" would silence plotly's click events: the markers keep a hover template
    assert markers.hoverinfo != "skip" and "customdata" in markers.hovertemplate
    cells = {(int(r), int(c)) for r, c in markers.customdata}
    assert cells == {(r, c) for r in range(3) for c in range(4)}
    assert all(
        markers.x[i] == c and markers.y[i] == r for i, (r, c) in enumerate(markers.customdata)
    )
    assert figure.layout.clickmode == "event+select"
    outline = figure.layout.shapes[0]
    assert (outline.x0, outline.y0) == (1.5, 0.5)


def test_the_2d_map_marks_each_misclassified_point() -> None:
    points = np.array([[0, 0], [1, 1], [2, 2], [3, 3]], dtype=np.float32)
    labels = np.array([0, 0, 1, 1])
    predicted = np.array([0, 1, 1, 0])
    figure = probe_map_figure(points, labels, predicted, ["a", "b"], "PCA")
    assert [trace.name for trace in figure.data] == ["a", "b", "wrong"]
    wrong = figure.data[-1]
    assert sorted(zip(wrong.x.tolist(), wrong.y.tolist(), strict=True)) == [(1.0, 1.0), (3.0, 3.0)]


def test_invariance_figure_has_one_line_per_network_in_percent() -> None:
    shifts = np.arange(-2, 3)
    figure = invariance_figure(
        shifts, [("trained", np.full(5, 0.5)), ("no pooling", np.full(5, 0.25))], "p", "%"
    )
    assert [trace.name for trace in figure.data] == ["trained", "no pooling"]
    assert figure.data[0].y.tolist() == [50.0] * 5 and figure.data[1].y.tolist() == [25.0] * 5
