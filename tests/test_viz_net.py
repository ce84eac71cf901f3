"""The network diagram's labels: readable size, and no two labels overlap at the planned width."""

from __future__ import annotations

import itertools

import pytest

from cnnviz.net import PRESETS, infer
from cnnviz.viz import TYPE, VISUAL, network_diagram
from cnnviz.viz.theme import text_px


def _label_boxes(fig: object) -> list[tuple[str, float, float, float, float]]:
    """(text, left, right, bottom, top) of every label in px, for a plot of the planned width."""
    layout = fig.layout  # type: ignore[attr-defined]
    x0, x1 = layout.xaxis.range
    units = VISUAL.typical_width_px / (x1 - x0)  # px per drawing unit (equal x/y scale)
    line = VISUAL.font_size * 1.3
    boxes = []
    for a in layout.annotations:
        lines = a.text.split("<br>")
        width = max(text_px(text, a.font.size) for text in lines)
        height = len(lines) * line
        left = (a.x - x0) * units - width / 2
        anchor = a.y * units + a.yshift
        bottom, top = (
            (anchor, anchor + height) if a.yanchor == "bottom" else (anchor - height, anchor)
        )
        boxes.append((a.text, left, left + width, bottom, top))
    return boxes


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("compact", [True, False])
def test_diagram_labels_are_readable_and_never_overlap(name: str, lang: str, compact: bool) -> None:
    fig = network_diagram(infer(PRESETS[name]), lang, compact=compact)
    assert all(a.font.size >= TYPE.min_px for a in fig.layout.annotations)
    assert fig.layout.height <= VISUAL.max_height_px
    boxes = _label_boxes(fig)
    for (text_a, l_a, r_a, b_a, t_a), (text_b, l_b, r_b, b_b, t_b) in itertools.combinations(
        boxes, 2
    ):
        apart = r_a <= l_b or r_b <= l_a or t_a <= b_b or t_b <= b_a
        assert apart, (name, text_a, text_b)


def test_alexnet_fully_connected_layers_get_one_caption_line_per_layer() -> None:
    fig = network_diagram(infer(PRESETS["alexnet2012"]), "en")
    captions = [a.text for a in fig.layout.annotations if "Linear" in a.text]
    assert captions[0].split("<br>") == ["18 Linear", "+ReLU", "+Dropout"]
    assert any(a.text == "4096" for a in fig.layout.annotations)
