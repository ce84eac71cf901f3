"""The U-Net as a U: encoder blocks going down on the left, the bottom block, the decoder going
back up on the right, pools and transposed convolutions as arrows, skip connections drawn across.

Each block is labelled with its name and ``C×H×W``. The skip connections are dashed arrows from
each encoder block into its decoder's concatenation, labelled "concat" (拼接); without skips none
is drawn. When the input size does not divide by the total stride, the shapes are still worked
out level by level (each pool floors, each transposed convolution doubles: the same rules as
:func:`cnnviz.net.infer_unet`) and the failing concatenation of :func:`cnnviz.net.unet_problems`
(its ``concat``, ``up`` and ``skip`` params) is drawn in red with both sizes.

The figure is built from plain shapes, annotations and traces (no widget state), every colour
from :data:`cnnviz.viz.theme.PALETTE` and every text at least ``TYPE.min_px``; traces are named
so tests can find them: ``"blocks"``, ``"skip<n>"`` (one per skip connection).

Lesson: "Build a CNN" (its U-Net view), for the "Beyond classification" page's network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.net import UNetSpec, pool_output_size, transposed_output_size, unet_problems
from cnnviz.viz.theme import PALETTE, TYPE

__all__ = ["UNetBlock", "unet_blocks", "unet_diagram"]

_ROW_PX: Final[int] = 80  # figure height per level (depth 2 fits a projector under the controls)
_HALF_W: Final[float] = 0.42  # half a block's width, in column units
_HALF_H: Final[float] = 0.3  # half a block's height, in level units
#: Shapes longer than this (``64×250×250``) are written on two lines, in taller blocks, so they
#: stay inside their block when 4 levels share a projector's width.
_LONG_SHAPE: Final[int] = 9
_TALL_ROW_PX: Final[int] = 104
_TALL_HALF_H: Final[float] = 0.38


@dataclass(frozen=True)
class UNetBlock:
    """One box of the diagram: ``name`` (``input``, ``enc1``, ``bottom``, ``dec1``, ``head``),
    its ``role`` (input, encoder, bottom, decoder, head), its column and level, and the shape of
    the map it outputs."""

    name: str
    role: str
    column: int
    level: int
    shape: tuple[int, int, int]


def _shape(shape: tuple[int, int, int]) -> str:
    return "×".join(str(n) for n in shape)


def unet_blocks(spec: UNetSpec) -> list[UNetBlock]:
    """The diagram's blocks, left to right, with the shapes each level gives even when the sizes
    do not fit (pools floor, transposed convolutions double, residual blocks keep the size)."""
    depth = spec.depth
    blocks = [
        UNetBlock("input", "input", 0, 0, (spec.in_channels, spec.image_size, spec.image_size))
    ]
    size = spec.image_size
    for level in range(depth):
        channels = spec.channels(level)
        blocks.append(
            UNetBlock(f"enc{level + 1}", "encoder", level + 1, level, (channels, size, size))
        )
        size = max(pool_output_size(size, 2, 2), 0)
    blocks.append(
        UNetBlock("bottom", "bottom", depth + 1, depth, (spec.channels(depth), size, size))
    )
    for level in range(depth - 1, -1, -1):
        size = transposed_output_size(size, 2, 2) if size > 0 else 0
        shape = (spec.channels(level), size, size)
        blocks.append(UNetBlock(f"dec{level + 1}", "decoder", 2 * depth + 1 - level, level, shape))
    blocks.append(UNetBlock("head", "head", 2 * depth + 2, 0, (spec.num_classes, size, size)))
    return blocks


def _arrow(x0: float, y0: float, x1: float, y1: float, colour: str) -> dict[str, Any]:
    """An annotation drawn as an arrow from (x0, y0) to (x1, y1), in data coordinates."""
    return {
        "x": x1,
        "y": y1,
        "ax": x0,
        "ay": y0,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": "",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1.2,
        "arrowwidth": 2.5,
        "arrowcolor": colour,
    }


def _label(x: float, y: float, text: str, colour: str, **extra: Any) -> dict[str, Any]:
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "font": {"size": TYPE.body_px, "color": colour},
        "bgcolor": PALETTE.paper,
        **extra,
    }


def unet_diagram(spec: UNetSpec, lang: str = "en") -> go.Figure:
    """The U diagram of ``spec`` in ``lang`` (see the module docstring)."""
    blocks = unet_blocks(spec)
    tall = max(len(_shape(block.shape)) for block in blocks) > _LONG_SHAPE
    half_h, row_px = (_TALL_HALF_H, _TALL_ROW_PX) if tall else (_HALF_H, _ROW_PX)

    def shape_label(shape: tuple[int, int, int]) -> str:
        return f"{shape[0]}×<br>{shape[1]}×{shape[2]}" if tall else _shape(shape)

    by_name = {block.name: block for block in blocks}
    colours = dict(PALETTE.unet_blocks)
    error = dict(PALETTE.layer_kinds)["error"]
    problem = next((p.param_dict() for p in unet_problems(spec) if "concat" in p.param_dict()), {})
    failing = str(problem.get("concat", ""))
    failing_dec = "dec" + failing[3:] if failing else ""

    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    traces: list[dict[str, Any]] = []
    for block in blocks:
        x, y = block.column, -block.level
        colour = error if block.name == failing_dec else colours[block.role]
        shapes.append(
            {
                "type": "rect",
                "x0": x - _HALF_W,
                "x1": x + _HALF_W,
                "y0": y - half_h,
                "y1": y + half_h,
                "fillcolor": colour,
                "opacity": 0.9,
                "line": {"color": PALETTE.ink if block.name == failing_dec else colour, "width": 2},
                "layer": "below",
            }
        )
    name_text = {
        "input": t("build.unet.block_input", lang),
        "head": t("build.unet.block_head", lang),
    }
    traces.append(
        {
            "type": "scatter",
            "name": "blocks",
            "x": [block.column for block in blocks],
            "y": [-block.level for block in blocks],
            "mode": "text",
            "text": [
                f"<b>{name_text.get(block.name, block.name)}</b><br>{shape_label(block.shape)}"
                for block in blocks
            ],
            "textfont": {"size": TYPE.body_px, "color": PALETTE.paper},
            "hovertext": [
                f"{block.name}: {t(f'build.unet.role_{block.role}', lang)}<br>C×H×W = "
                f"{_shape(block.shape)}"
                for block in blocks
            ],
            "hoverinfo": "text",
            "showlegend": False,
        }
    )

    # input -> enc1 (or bottom), the pools going down, the up-sampling going up, head
    depth = spec.depth
    first = by_name["enc1"] if depth else by_name["bottom"]
    annotations.append(_arrow(_HALF_W, 0, first.column - _HALF_W, 0, PALETTE.muted))
    for level in range(depth):
        top = by_name[f"enc{level + 1}"]
        below = by_name[f"enc{level + 2}"] if level + 1 < depth else by_name["bottom"]
        annotations.append(
            _arrow(
                top.column,
                -level - half_h,
                below.column - 0.15,
                -below.level + half_h,
                PALETTE.unet_pool,
            )
        )
        annotations.append(
            _label(
                top.column + 0.05,
                -level - 0.5,
                f"pool{level + 1}",
                PALETTE.unet_pool,
                xanchor="right",
            )
        )
        source = by_name[f"dec{level + 2}"] if level + 1 < depth else by_name["bottom"]
        target = by_name[f"dec{level + 1}"]
        annotations.append(
            _arrow(
                source.column + 0.15,
                -source.level + half_h,
                target.column,
                -level - half_h,
                PALETTE.unet_up,
            )
        )
        annotations.append(
            _label(
                target.column - 0.05,
                -level - 0.5,
                f"up{level + 1}",
                PALETTE.unet_up,
                xanchor="left",
            )
        )
    dec1 = by_name["dec1"] if depth else by_name["bottom"]
    head = by_name["head"]
    annotations.append(_arrow(dec1.column + _HALF_W, 0, head.column - _HALF_W, 0, PALETTE.muted))

    if spec.skips:
        concat = t("build.unet.concat", lang)
        for level in range(depth):
            enc = by_name[f"enc{level + 1}"]
            dec = by_name[f"dec{level + 1}"]
            name = f"cat{level + 1}"
            bad = name == failing
            colour = error if bad else PALETTE.unet_skip
            x0, x1, y = enc.column + _HALF_W, dec.column - _HALF_W, -level
            traces.append(
                {
                    "type": "scatter",
                    "name": f"skip{level + 1}",
                    "x": [x0, x1],
                    "y": [y, y],
                    "mode": "lines+markers",
                    "line": {"color": colour, "width": 4 if bad else 2.5, "dash": "dash"},
                    "marker": {
                        "symbol": "triangle-right",
                        "size": [0, 16],
                        "color": colour,
                    },
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
            text = f"{concat} ({name})"
            if bad:  # both sizes, above the dashed line (the gap between the blocks is narrow)
                up, skip = problem["up"], problem["skip"]
                text = f"<b>{text}</b><br>{up}×{up} ≠ {skip}×{skip}"
            annotations.append(_label((x0 + x1) / 2, y + 0.04, text, colour, yanchor="bottom"))
    elif failing:
        dec = by_name[failing_dec]
        annotations.append(
            _label(
                dec.column,
                -dec.level + half_h + 0.05,
                f"<b>{problem['up']}×{problem['up']} ≠ {problem['skip']}×{problem['skip']}</b>",
                error,
                yanchor="bottom",
            )
        )

    columns = 2 * depth + 3
    layout: dict[str, Any] = {
        "shapes": shapes,
        "annotations": annotations,
        "height": row_px * (depth + 1) + 12,
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "xaxis": {"visible": False, "range": [-0.55, columns - 0.45], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-depth - 0.42, 0.58], "fixedrange": True},
        "plot_bgcolor": PALETTE.paper,
        "paper_bgcolor": PALETTE.paper,
        "font": {"size": TYPE.body_px, "family": TYPE.family, "color": PALETTE.ink},
        "hoverlabel": {"font": {"size": TYPE.body_px}},
        "showlegend": False,
        "dragmode": False,
    }
    return go.Figure({"data": traces, "layout": layout})
