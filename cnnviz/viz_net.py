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
from dataclasses import dataclass, field

import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.shapes import LayerInfo, NetSummary, Shape

__all__ = ["VISUAL", "diagram_blocks", "network_diagram", "params_bar"]

#: Every visual constant of the network figures.
VISUAL: dict[str, object] = {
    "colors": {
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
    },
    "min_side": 0.3,  # drawing units for a 1-pixel map
    "max_side": 3.0,  # drawing units for the largest H or W in the network
    "channel_base": 0.12,  # thickness = base + per_bit * log2(C + 1)
    "channel_per_bit": 0.2,
    "flat_base": 0.4,  # bar height = base + per_decade * log10(F)
    "flat_per_decade": 0.55,
    "flat_width": 0.14,
    "oblique_x": 0.5,  # the receding W side: offset per drawing unit of W
    "oblique_y": 0.32,
    "gap": 0.6,
    "min_slot": 1.1,  # horizontal room per block, so labels of thin bars do not collide
    "top_shade": 0.35,  # mix with white for the top face
    "side_shade": 0.25,  # mix with black for the side face
    "font_size": 11,
    "height_px": 440,  # the diagram's largest height
    "min_height_px": 280,
    "typical_width_px": 1050,
    "chrome_px": 120,  # margins, axis title and legend
    "bar_height_px": 320,
}

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


def network_diagram(summary: NetSummary, lang: str = "en", compact: bool = True) -> go.Figure:
    """The LeNet-style diagram of ``summary`` (see the module docstring); hover shows the shape,
    the parameters and any problem; the legend names the layer kinds."""
    colors: dict[str, str] = VISUAL["colors"]  # type: ignore[assignment]
    blocks = diagram_blocks(summary, compact)
    spatial = [
        size
        for block in blocks
        if block.shape and len(block.shape) == 3
        for size in block.shape[1:]
    ]
    largest = max(spatial, default=1)
    lo, hi = float(VISUAL["min_side"]), float(VISUAL["max_side"])  # type: ignore[arg-type]

    def side(n: int) -> float:
        return lo + (hi - lo) * math.sqrt(n / largest) if largest > 1 else hi / 2

    fig = go.Figure()
    x = 0.0
    seen_kinds: set[str] = set()
    top_y = 0.0
    for block in blocks:
        color = colors.get(block.kind, colors["error"])
        shape = block.shape
        if shape is not None and len(shape) == 3:
            height = side(shape[1])
            depth = float(VISUAL["channel_base"]) + float(VISUAL["channel_per_bit"]) * math.log2(
                shape[0] + 1
            )
            recede = side(shape[2])
        elif shape is not None:
            height = min(
                hi,
                float(VISUAL["flat_base"])
                + float(VISUAL["flat_per_decade"]) * math.log10(max(shape[0], 1)),
            )
            depth, recede = float(VISUAL["flat_width"]), 0.0
        else:  # unknown after an error: a small red box with "?"
            height, depth, recede = lo * 2, lo * 2, 0.0
        ox = recede * float(VISUAL["oblique_x"])  # type: ignore[arg-type]
        oy = recede * float(VISUAL["oblique_y"])  # type: ignore[arg-type]
        slot = max(depth + ox, float(VISUAL["min_slot"]))  # type: ignore[arg-type]
        x += (slot - depth - ox) / 2  # centre the block in its slot
        y0 = -height / 2
        front = [(x, y0), (x + depth, y0), (x + depth, y0 + height), (x, y0 + height)]
        top = [
            (x, y0 + height),
            (x + depth, y0 + height),
            (x + depth + ox, y0 + height + oy),
            (x + ox, y0 + height + oy),
        ]
        right = [
            (x + depth, y0),
            (x + depth + ox, y0 + oy),
            (x + depth + ox, y0 + height + oy),
            (x + depth, y0 + height),
        ]
        name = t(f"viz.net.kind.{block.kind}", lang)
        show_legend = block.kind not in seen_kinds
        seen_kinds.add(block.kind)
        faces = [(right, _mix(color, "#000000", float(VISUAL["side_shade"])))]  # type: ignore[arg-type]
        if recede:
            faces.append((top, _mix(color, "#ffffff", float(VISUAL["top_shade"]))))  # type: ignore[arg-type]
        for points, face_color in faces:
            xs, ys = _polygon(points)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor=face_color,
                    mode="lines",
                    line={"color": face_color, "width": 1},
                    hoverinfo="skip",
                    legendgroup=block.kind,
                    showlegend=False,
                )
            )
        xs, ys = _polygon(front)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=color,
                mode="lines",
                line={
                    "color": _mix(color, "#000000", 0.4),
                    "width": 1,
                    "dash": "dot" if block.kind in ("error", "unknown") else "solid",
                },
                name=name,
                legendgroup=block.kind,
                showlegend=show_legend,
                hoveron="fills",
                text=_hover(block, lang),
                hoverinfo="text",
            )
        )
        centre = x + (depth + ox) / 2
        fig.add_annotation(
            x=centre,
            y=y0,
            yshift=-4,
            text=_shape_label(shape),
            showarrow=False,
            yanchor="top",
            font={"size": int(VISUAL["font_size"])},  # type: ignore[call-overload]
        )
        title = (
            t("viz.net.input", lang)
            if block.kind == "input"
            else f"{block.layers[0].number} {block.layers[0].label.split(' ')[0]}"
        )
        extra = [_SHORT_NAMES.get(info.kind, info.label.split(" ")[0]) for info in block.layers[1:]]
        fig.add_annotation(
            x=centre,
            y=y0 + height + oy,
            yshift=4,
            text=title + ("<br>+" + " +".join(extra) if extra else ""),
            showarrow=False,
            yanchor="bottom",
            font={"size": int(VISUAL["font_size"]) - 1, "color": "#334155"},  # type: ignore[call-overload]
        )
        top_y = max(top_y, y0 + height + oy)
        x += depth + ox + (slot - depth - ox) / 2 + float(VISUAL["gap"])  # type: ignore[arg-type]

    y_range = [-hi / 2 - 0.9, max(top_y, hi / 2) + 1.0]
    # Equal x/y scale: the height that a typical wide page (~1100 px) needs, within limits.
    units_px = float(VISUAL["typical_width_px"]) / max(x + 0.4, 1.0)  # type: ignore[arg-type]
    height = (y_range[1] - y_range[0]) * units_px + float(VISUAL["chrome_px"])  # type: ignore[arg-type]
    fig.update_layout(
        height=int(min(max(height, float(VISUAL["min_height_px"])), float(VISUAL["height_px"]))),  # type: ignore[arg-type]
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.12, "x": 0, "font": {"size": 11}},
        hoverlabel={"align": "left"},
        xaxis={
            "visible": True,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "title": {"text": t("viz.net.flow", lang), "font": {"size": 11}},
            "range": [-0.4, x],
        },
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1,
            "range": y_range,
        },
    )
    return fig


def params_bar(summary: NetSummary, lang: str = "en", log_scale: bool = False) -> go.Figure:
    """Parameters per layer (layers without parameters left out), coloured by layer kind."""
    colors: dict[str, str] = VISUAL["colors"]  # type: ignore[assignment]
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
        height=int(VISUAL["bar_height_px"]),  # type: ignore[call-overload]
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": {"text": t("viz.net.axis_layer", lang)}},
        yaxis={
            "title": {"text": t("viz.net.axis_params", lang)},
            "type": "log" if log_scale else "linear",
        },
        plot_bgcolor="#ffffff",
        showlegend=False,
    )
    fig.update_yaxes(gridcolor="#e5e7eb")
    return fig
