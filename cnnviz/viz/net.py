"""Figures of a whole network: the LeNet-style block diagram and the parameters per layer.

``network_diagram`` draws one box per feature map, left to right, like the LeNet-5 figure: the
box's height follows H, the receding side follows W, its thickness follows the channels C, each
labelled ``6@28x28``; flat vectors after Flatten are thin bars. Sizes are square-root (H, W) and
log (C, features) scaled so a 227-pixel input and a 1x1 map are both visible. Every colour and
size is in :data:`VISUAL`. Text comes from the catalog (``lang``).

Lesson: the "Build a CNN" page (how feature maps shrink and deepen layer by layer).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.net import LayerInfo, NetSummary, Shape
from cnnviz.viz.theme import PALETTE, TYPE, readable_fonts, text_px

__all__ = [
    "VISUAL",
    "Block",
    "NetStyle",
    "diagram_blocks",
    "network_diagram",
    "params_bar",
]


@dataclass(frozen=True)
class NetStyle:
    """Every visual constant of the network figures (drawing units unless the name says px)."""

    colors: dict[str, str] = field(default_factory=lambda: dict(PALETTE.layer_kinds))
    min_side: float = 0.3  # a 1-pixel map
    max_side: float = 3.0  # the largest H or W in the network
    channel_base: float = 0.12  # thickness = base + per_bit * log2(C + 1)
    channel_per_bit: float = 0.2
    flat_base: float = 0.4  # bar height = base + per_decade * log10(F)
    flat_per_decade: float = 0.55
    flat_width: float = 0.14
    oblique_x: float = 0.5  # the receding W side: offset per drawing unit of W
    oblique_y: float = 0.32
    gap: float = 0.6
    top_shade: float = 0.35  # mix with white for the top face
    side_shade: float = 0.25  # mix with black for the side face
    edge_shade: float = 0.4  # mix with black for the front face's outline
    font_size: float = TYPE.body_px
    char_em: float = 0.6  # width of a Latin character in em (generous: labels must not touch)
    label_pad_px: float = 10.0  # room between two neighbouring labels
    caption_color: str = PALETTE.caption
    max_height_px: int = 326  # with the picker above it, fits a 1024x576 projector viewport
    min_height_px: int = 240
    #: the plot width the layout is planned for: a 1024 px projector viewport with the sidebar
    #: collapsed; wider pages add room at the sides, labels keep their size and spacing.
    typical_width_px: int = 900
    chrome_px: int = 110  # margins, axis title and legend
    bar_height_px: int = 320
    grid_color: str = PALETTE.faint


VISUAL = NetStyle()

# Short names for folded layers in the caption above a block ("+ReLU +LRN").
_SHORT_NAMES = {
    "batchnorm2d": "BN",
    "lrn": "LRN",
    "dropout": "Dropout",
    "dropout2d": "Dropout2d",
}

# Layers that keep the shape: folded into the block of the layer before them in compact mode.
_FOLDED_KINDS = {"activation", "batchnorm2d", "lrn", "dropout", "dropout2d"}


@dataclass
class Block:
    """One drawn feature map: the layers it stands for and its output shape (None = unknown)."""

    kind: str
    shape: Shape | None
    layers: list[LayerInfo] = field(default_factory=list)

    @property
    def params(self) -> int:
        return sum(info.params for info in self.layers)


def diagram_blocks(summary: NetSummary, compact: bool = True) -> list[Block]:
    """The input plus one block per layer output; ``compact`` folds shape-keeping layers
    (activation, BatchNorm, LRN, dropout) into the block of the layer before them."""
    blocks = [Block("input", summary.input_shape)]
    for info in summary.layers:
        previous = blocks[-1]
        if (
            compact
            and info.kind in _FOLDED_KINDS
            and previous.kind != "input"
            and info.output_shape is not None
            and info.output_shape == previous.shape
            and info.ok
        ):
            previous.layers.append(info)
            continue
        if info.problems:
            kind = "error"
        elif info.output_shape is None:
            kind = "unknown"  # an earlier error hides this layer's shape
        else:
            kind = info.kind
        blocks.append(Block(kind, info.output_shape, [info]))
    return blocks


def _short_name(info: LayerInfo) -> str:
    """The layer's kind in a few letters ("LRN", "BN", "Conv2d")."""
    return _SHORT_NAMES.get(info.kind, info.label.split(" ")[0])


def _mix(color: str, other: str, amount: float) -> str:
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * amount) for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


def _shape_label(shape: Shape | None) -> str:
    if shape is None:
        return "?"
    if len(shape) == 1:
        return str(shape[0])
    return f"{shape[0]}@{shape[1]}x{shape[2]}"


def _hover(block: Block, lang: str) -> str:
    if block.kind == "input":
        title = t("viz.net.input", lang)
    else:
        title = "<br>".join(f"{info.number} {info.label}" for info in block.layers)
    lines = [
        f"<b>{title}</b>",
        t("viz.net.hover_shape", lang, shape=_shape_label(block.shape)),
        t("viz.net.hover_params", lang, params=f"{block.params:,}"),
    ]
    for info in block.layers:
        lines += [p.text(lang) for p in info.problems]
    return "<br>".join(lines)


def _polygon(points: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    closed = [*points, points[0]]
    return [p[0] for p in closed], [p[1] for p in closed]


def _block_size(block: Block, side: Callable[[int], float]) -> tuple[float, float, float]:
    """(height, thickness, receding side) of a block in drawing units."""
    style = VISUAL
    shape = block.shape
    if shape is not None and len(shape) == 3:
        thickness = style.channel_base + style.channel_per_bit * math.log2(shape[0] + 1)
        return side(shape[1]), thickness, side(shape[2])
    if shape is not None:  # a flat vector: a thin bar
        height = style.flat_base + style.flat_per_decade * math.log10(max(shape[0], 1))
        return min(style.max_side, height), style.flat_width, 0.0
    return style.min_side * 2, style.min_side * 2, 0.0  # unknown after an error: a small box


@dataclass
class _Drawn:
    """One block's geometry (drawing units) and labels, before it is placed."""

    block: Block
    height: float
    depth: float
    recede: float
    caption: list[str]  # lines above the block: "9 Linear", "+ReLU", "+Dropout"
    shape: str  # the line under it: "256@13x13"

    @property
    def body(self) -> float:
        return self.depth + self.recede * VISUAL.oblique_x

    @property
    def label_px(self) -> float:
        lines = [*self.caption, self.shape]
        width = max(text_px(line, VISUAL.font_size, VISUAL.char_em) for line in lines)
        return width + VISUAL.label_pad_px


def _slot_px(drawn: list[_Drawn], rows: int) -> list[float]:
    """The least width in px each block's slot needs when labels take turns over ``rows`` rows:
    the widest label within ``rows - 1`` blocks, divided by ``rows``. Two labels on the same row
    (``rows`` blocks apart) are then at least half their widths apart."""
    widths = [d.label_px for d in drawn]
    reach = rows - 1
    return [max(widths[max(0, i - reach) : i + reach + 1]) / rows for i in range(len(widths))]


def _units_px(drawn: list[_Drawn], slots: list[float], body_span: float, label_px: float) -> float:
    """Pixels per drawing unit: as large as the planned width and height allow while every slot
    keeps its least width in px (the planned width is ``VISUAL.typical_width_px``)."""
    style = VISUAL

    def needed(units: float) -> float:
        return sum(
            max((d.body + style.gap) * units, need) for d, need in zip(drawn, slots, strict=True)
        )

    low, high = 1e-3, 400.0
    for _ in range(50):  # needed() grows with units: bisect for needed(units) == width
        mid = (low + high) / 2
        low, high = (mid, high) if needed(mid) <= style.typical_width_px else (low, mid)
    room = style.max_height_px - style.chrome_px - label_px
    return min(low, room / max(body_span, 1e-9))


def network_diagram(summary: NetSummary, lang: str = "en", compact: bool = True) -> go.Figure:
    """The LeNet-style diagram of ``summary`` (see the module docstring); hover shows the shape,
    the parameters and any problem; the legend names the layer kinds.

    Labels are ``VISUAL.font_size`` px (readable on a projector); each block gets a slot at least
    as wide as its widest label at the planned width ``VISUAL.typical_width_px``, one folded layer
    per caption line, so labels never overlap there (AlexNet's fully connected layers included).
    Built as plain dicts and validated once by ``go.Figure`` (adding annotations one by one is
    quadratic in plotly): about 10 ms for AlexNet.
    """
    style = VISUAL
    blocks = diagram_blocks(summary, compact)
    spatial = [n for b in blocks if b.shape and len(b.shape) == 3 for n in b.shape[1:]]
    largest = max(spatial, default=1)
    lo, hi = style.min_side, style.max_side

    def side(n: int) -> float:
        return lo + (hi - lo) * math.sqrt(n / largest) if largest > 1 else hi / 2

    drawn: list[_Drawn] = []
    for block in blocks:
        height, depth, recede = _block_size(block, side)
        title = (
            t("viz.net.input", lang)
            if block.kind == "input"
            else f"{block.layers[0].number} {_short_name(block.layers[0])}"
        )
        extra = ["+" + _short_name(info) for info in block.layers[1:]]
        drawn.append(
            _Drawn(block, height, depth, recede, [title, *extra], _shape_label(block.shape))
        )
    line_px = style.font_size * 1.3
    # Too many labels side by side for the planned width: labels take turns over two or more
    # rows (captions further up, shapes further down), so neighbours never share a row.
    rows = next((k for k in range(1, 4) if sum(_slot_px(drawn, k)) <= style.typical_width_px), 4)
    staggered = rows > 1
    caption_lines = max(len(d.caption) for d in drawn)
    caption_px = caption_lines * line_px * rows + 8
    shape_px = line_px * rows + 8
    tops = [d.height / 2 + d.recede * style.oblique_y for d in drawn]
    body_span = max(max(tops), hi / 2) + hi / 2
    slots = _slot_px(drawn, rows)
    units = _units_px(drawn, slots, body_span, caption_px + shape_px)

    fronts: list[dict[str, Any]] = []
    shades: dict[str, tuple[list[float | None], list[float | None]]] = {}
    annotations: list[dict[str, Any]] = []
    seen_kinds: set[str] = set()
    x = 0.0
    top_line = max(tops)
    for number, (item, need) in enumerate(zip(drawn, slots, strict=True)):
        block = item.block
        row = number % rows  # 0: the labels next to the blocks; higher: further out
        color = style.colors.get(block.kind, style.colors["error"])
        height, depth, recede = item.height, item.depth, item.recede
        ox, oy = recede * style.oblique_x, recede * style.oblique_y
        slot = max(item.body + style.gap, need / units)
        x += (slot - item.body) / 2  # centre the block in its slot
        y0, y1 = -height / 2, height / 2
        right = [
            (x + depth, y0),
            (x + depth + ox, y0 + oy),
            (x + depth + ox, y1 + oy),
            (x + depth, y1),
        ]
        top = [(x, y1), (x + depth, y1), (x + depth + ox, y1 + oy), (x + ox, y1 + oy)]
        faces = [(right, _mix(color, PALETTE.shadow, style.side_shade))]
        if recede:
            faces.append((top, _mix(color, PALETTE.paper, style.top_shade)))
        for points, face_color in faces:  # faces of one shade share a trace (None separates)
            xs, ys = shades.setdefault(face_color, ([], []))
            px, py = _polygon(points)
            xs.extend([*px, None])
            ys.extend([*py, None])
        px, py = _polygon([(x, y0), (x + depth, y0), (x + depth, y1), (x, y1)])
        fronts.append(
            {
                "type": "scatter",
                "x": px,
                "y": py,
                "fill": "toself",
                "fillcolor": color,
                "mode": "lines",
                "line": {
                    "color": _mix(color, PALETTE.shadow, style.edge_shade),
                    "width": 1,
                    "dash": "dot" if block.kind in ("error", "unknown") else "solid",
                },
                "name": t(f"viz.net.kind.{block.kind}", lang),
                "legendgroup": block.kind,
                "showlegend": block.kind not in seen_kinds,
                "hoveron": "fills",
                "text": _hover(block, lang),
                "hoverinfo": "text",
            }
        )
        seen_kinds.add(block.kind)
        centre = x + item.body / 2
        annotations += [
            {
                "x": centre,
                "y": -hi / 2 if staggered else y0,
                "yshift": -4 - row * line_px,
                "text": item.shape,
                "showarrow": False,
                "yanchor": "top",
                "font": {"size": style.font_size},
            },
            {
                "x": centre,
                "y": top_line if staggered else y1 + oy,
                "yshift": 4 + row * caption_lines * line_px,
                "text": "<br>".join(item.caption),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": style.font_size, "color": style.caption_color},
            },
        ]
        x += item.body + (slot - item.body) / 2

    shade_traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": face_color,
            "mode": "lines",
            "line": {"color": face_color, "width": 1},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for face_color, (xs, ys) in shades.items()
    ]
    y_range = [-hi / 2 - shape_px / units, max(max(tops), hi / 2) + caption_px / units]
    height_px = (y_range[1] - y_range[0]) * units + style.chrome_px
    layout = {
        "height": int(min(max(height_px, style.min_height_px), style.max_height_px)),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "plot_bgcolor": PALETTE.paper,
        "paper_bgcolor": PALETTE.paper,
        "font": {"size": style.font_size, "family": TYPE.family},
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "font": {"size": style.font_size}},
        "hoverlabel": {"align": "left", "font": {"size": style.font_size}},
        "annotations": annotations,
        "xaxis": {
            "visible": True,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "title": {"text": t("viz.net.flow", lang), "font": {"size": style.font_size}},
            "range": [0.0, x],
        },
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1, "range": y_range},
    }
    return go.Figure(data=[*shade_traces, *fronts], layout=layout)


def params_bar(summary: NetSummary, lang: str = "en", log_scale: bool = False) -> go.Figure:
    """Parameters per layer (layers without parameters left out), coloured by layer kind."""
    colors = VISUAL.colors
    rows = [info for info in summary.layers if info.params > 0]
    fig = go.Figure(
        go.Bar(
            x=[f"{info.number} {info.label}" for info in rows],
            y=[info.params for info in rows],
            marker={"color": [colors.get(info.kind, colors["error"]) for info in rows]},
            text=[f"{info.params:,}" for info in rows],
            textposition="outside",
            textfont={"size": TYPE.body_px},
            cliponaxis=False,
            hovertemplate="%{x}<br>"
            + t("viz.net.hover_params", lang, params="%{y:,}")
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        height=VISUAL.bar_height_px,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": {"text": t("viz.net.axis_layer", lang)}},
        yaxis={
            "title": {"text": t("viz.net.axis_params", lang)},
            "type": "log" if log_scale else "linear",
        },
        plot_bgcolor=PALETTE.paper,
        showlegend=False,
    )
    fig.update_yaxes(gridcolor=VISUAL.grid_color)
    return readable_fonts(fig)
