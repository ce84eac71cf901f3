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
from cnnviz.shapes import LayerInfo, NetSummary, Shape

__all__ = ["VISUAL", "Block", "NetStyle", "diagram_blocks", "network_diagram", "params_bar"]


@dataclass(frozen=True)
class NetStyle:
    """Every visual constant of the network figures (drawing units unless the name says px)."""

    colors: dict[str, str] = field(
        default_factory=lambda: {
            "input": "#94a3b8",
            "conv2d": "#2563eb",
            "residual": "#0e7490",
            "maxpool2d": "#f59e0b",
            "avgpool2d": "#f97316",
            "global_avg_pool": "#ea580c",
            "batchnorm2d": "#8b5cf6",
            "lrn": "#a855f7",
            "activation": "#10b981",
            "dropout": "#9ca3af",
            "dropout2d": "#9ca3af",
            "flatten": "#64748b",
            "linear": "#dc2626",
            "error": "#ef4444",
            "unknown": "#cbd5e1",
        }
    )
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
    min_slot: float = 1.1  # horizontal room per block, so labels of thin bars do not collide
    top_shade: float = 0.35  # mix with white for the top face
    side_shade: float = 0.25  # mix with black for the side face
    edge_shade: float = 0.4  # mix with black for the front face's outline
    font_size: int = 11
    caption_color: str = "#334155"
    max_height_px: int = 440
    min_height_px: int = 280
    typical_width_px: int = 1050  # the page width the equal-scale height is computed for
    chrome_px: int = 120  # margins, axis title and legend
    bar_height_px: int = 320
    grid_color: str = "#e5e7eb"


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


def network_diagram(summary: NetSummary, lang: str = "en", compact: bool = True) -> go.Figure:
    """The LeNet-style diagram of ``summary`` (see the module docstring); hover shows the shape,
    the parameters and any problem; the legend names the layer kinds.

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

    fronts: list[dict[str, Any]] = []
    shades: dict[str, tuple[list[float | None], list[float | None]]] = {}
    annotations: list[dict[str, Any]] = []
    seen_kinds: set[str] = set()
    x, top_y = 0.0, 0.0
    for block in blocks:
        color = style.colors.get(block.kind, style.colors["error"])
        height, depth, recede = _block_size(block, side)
        ox, oy = recede * style.oblique_x, recede * style.oblique_y
        slot = max(depth + ox, style.min_slot)
        x += (slot - depth - ox) / 2  # centre the block in its slot
        y0, y1 = -height / 2, height / 2
        right = [
            (x + depth, y0),
            (x + depth + ox, y0 + oy),
            (x + depth + ox, y1 + oy),
            (x + depth, y1),
        ]
        top = [(x, y1), (x + depth, y1), (x + depth + ox, y1 + oy), (x + ox, y1 + oy)]
        faces = [(right, _mix(color, "#000000", style.side_shade))]
        if recede:
            faces.append((top, _mix(color, "#ffffff", style.top_shade)))
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
                    "color": _mix(color, "#000000", style.edge_shade),
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
        centre = x + (depth + ox) / 2
        title = (
            t("viz.net.input", lang)
            if block.kind == "input"
            else f"{block.layers[0].number} {block.layers[0].label.split(' ')[0]}"
        )
        extra = [_SHORT_NAMES.get(info.kind, info.label.split(" ")[0]) for info in block.layers[1:]]
        annotations += [
            {
                "x": centre,
                "y": y0,
                "yshift": -4,
                "text": _shape_label(block.shape),
                "showarrow": False,
                "yanchor": "top",
                "font": {"size": style.font_size},
            },
            {
                "x": centre,
                "y": y1 + oy,
                "yshift": 4,
                "text": title + ("<br>+" + " +".join(extra) if extra else ""),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": style.font_size - 1, "color": style.caption_color},
            },
        ]
        top_y = max(top_y, y1 + oy)
        x += depth + ox + (slot - depth - ox) / 2 + style.gap

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
    y_range = [-hi / 2 - 0.9, max(top_y, hi / 2) + 1.0]
    # Equal x/y scale: the height a typical wide page needs, within limits.
    units_px = style.typical_width_px / max(x + 0.4, 1.0)
    height_px = (y_range[1] - y_range[0]) * units_px + style.chrome_px
    layout = {
        "height": int(min(max(height_px, style.min_height_px), style.max_height_px)),
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "font": {"size": style.font_size}},
        "hoverlabel": {"align": "left"},
        "annotations": annotations,
        "xaxis": {
            "visible": True,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "title": {"text": t("viz.net.flow", lang), "font": {"size": style.font_size}},
            "range": [-0.4, x],
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
        plot_bgcolor="#ffffff",
        showlegend=False,
    )
    fig.update_yaxes(gridcolor=VISUAL.grid_color)
    return fig
