"""Figures of segmentation: loss and mean-IoU curves of one run or several overlaid, per-class IoU
and Dice bars, and the row of validation images (input, true mask, predicted mask).

Pure functions returning plotly figures or NumPy images; all text comes from the catalog in the
caller's language. Conventions (as in the lab): one colour per run, training dashed, validation
solid; a mask colours each class with :data:`MASK_COLOURS` (background black).

Lesson: the "Beyond classification" page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnnviz.data import MASK_CLASSES
from cnnviz.i18n import t
from cnnviz.train import SegmentEpoch
from cnnviz.viz.theme import PALETTE, readable_fonts

__all__ = [
    "MASK_COLOURS",
    "MASK_COLOUR_NAMES",
    "SegmentSeries",
    "class_scores_figure",
    "mask_rgb",
    "segment_curves_figure",
    "segment_montage",
]

#: RGB per mask class: background, circle, square, triangle, cross, horizontal line, vertical line.
MASK_COLOURS: np.ndarray = np.array(
    [
        [0, 0, 0],
        [230, 75, 60],
        [60, 140, 230],
        [245, 200, 40],
        [60, 190, 110],
        [170, 90, 220],
        [240, 140, 40],
    ],
    dtype=np.uint8,
)
#: The colour of each class in words (``beyond.colour.<name>`` in the catalog), for the legend.
MASK_COLOUR_NAMES: tuple[str, ...] = ("black", "red", "blue", "yellow", "green", "purple", "orange")
_GAP = 2  # pixels between two tiles of the montage
_HEIGHT = 340


@dataclass(frozen=True)
class SegmentSeries:
    """One run's curves: its name (legend), its epochs and optionally its batch losses
    ``(n, 2)`` of step and loss with ``batches_per_epoch`` to place them on the epoch axis."""

    name: str
    epochs: Sequence[SegmentEpoch]
    batch_losses: np.ndarray | None = None
    batches_per_epoch: int = 1


def mask_rgb(mask: np.ndarray) -> np.ndarray:
    """``(H, W)`` class indices to ``(H, W, 3)`` uint8 colours (:data:`MASK_COLOURS`)."""
    return MASK_COLOURS[np.clip(mask, 0, len(MASK_COLOURS) - 1)]


def segment_montage(
    images: np.ndarray, true_masks: np.ndarray, predicted: np.ndarray, *, scale: int = 4
) -> np.ndarray:
    """One ``uint8`` RGB picture: a column per validation image, rows input (grey), true mask,
    predicted mask; each tile enlarged ``scale`` times (nearest), white gaps between tiles.

    ``images`` ``(k, H, W)`` in [0, 1]; masks ``(k, H, W)`` class indices.
    """
    k, h, w = images.shape
    grey = np.clip(images * 255, 0, 255).astype(np.uint8)
    rows = [
        np.repeat(grey[..., None], 3, axis=-1),  # (k, H, W, 3)
        mask_rgb(true_masks),
        mask_rgb(predicted),
    ]
    th, tw = h * scale, w * scale
    out = np.full((3 * th + 2 * _GAP, k * tw + (k - 1) * _GAP, 3), 255, dtype=np.uint8)
    for r, tiles in enumerate(rows):
        for c in range(k):
            tile = tiles[c].repeat(scale, axis=0).repeat(scale, axis=1)  # (th, tw, 3)
            top, left = r * (th + _GAP), c * (tw + _GAP)
            out[top : top + th, left : left + tw] = tile
    return out


def _finite(values: Sequence[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]


def segment_curves_figure(
    series: Sequence[SegmentSeries], lang: str = "en", *, show_legend: bool = True
) -> go.Figure:
    """Loss (left: batch losses thin, per-epoch training dashed, validation solid) and validation
    mean IoU (right) against the epoch, one colour per run."""
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(t("beyond.plot.loss", lang), t("beyond.plot.iou", lang)),
        horizontal_spacing=0.16,  # room for the right panel's axis title
    )
    train_word, val_word = t("beyond.legend.train", lang), t("beyond.legend.val", lang)
    batch_word = t("beyond.legend.batch", lang)
    colours = PALETTE.series
    for index, run in enumerate(series):
        colour = colours[index % len(colours)]
        if run.batch_losses is not None and len(run.batch_losses):
            fig.add_trace(
                go.Scatter(
                    x=run.batch_losses[:, 0] / max(1, run.batches_per_epoch),
                    y=run.batch_losses[:, 1],
                    mode="lines",
                    name=f"{run.name} · {batch_word}",
                    legendgroup=run.name,
                    showlegend=False,
                    opacity=0.35,
                    line={"color": colour, "width": 1},
                    hovertemplate=f"<b>{run.name}</b> · {batch_word}<br>%{{y:.3f}}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        epochs = list(run.epochs)
        x = [e.epoch for e in epochs]
        mode = "lines+markers" if len(x) <= 2 else "lines"
        for word, values, dash in (
            (train_word, [e.train_loss for e in epochs], "dash"),
            (val_word, [e.val_loss for e in epochs], "solid"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=_finite(values),
                    mode=mode,
                    name=run.name,
                    legendgroup=run.name,
                    showlegend=False,
                    line={"color": colour, "dash": dash, "width": 2},
                    hovertemplate=f"<b>{run.name}</b> · {word}<br>%{{x}}: %{{y:.3f}}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_finite([e.mean_iou for e in epochs]),
                mode=mode,
                name=run.name,
                legendgroup=run.name,
                showlegend=show_legend,
                line={"color": colour, "width": 2},
                hovertemplate=f"<b>{run.name}</b><br>IoU %{{x}}: %{{y:.3f}}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_xaxes(title_text=t("beyond.axis.epoch", lang))
    fig.update_yaxes(title_text=t("beyond.axis.loss", lang), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=t("beyond.axis.iou", lang), range=[0, 1.02], row=1, col=2)
    fig.update_layout(
        height=_HEIGHT + (24 * len(series) if show_legend else 0),
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        showlegend=show_legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
    )
    return readable_fonts(fig)


def class_scores_figure(epoch: SegmentEpoch, lang: str = "en") -> go.Figure:
    """Per-class IoU and Dice of one epoch's validation, as grouped bars (a class with no score
    has no bar)."""
    names = [t(f"beyond.class.{name}", lang) for name in MASK_CLASSES]
    fig = go.Figure()
    for label, values, colour in (
        ("IoU", epoch.iou, PALETTE.series[0]),
        ("Dice", epoch.dice, PALETTE.series[1]),
    ):
        fig.add_trace(
            go.Bar(
                x=names,
                y=_finite(list(values)),
                name=label,
                marker_color=colour,
                hovertemplate=f"%{{x}} · {label}: %{{y:.3f}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=300,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title=t("beyond.plot.classes", lang, epoch=epoch.epoch),
        yaxis={"range": [0, 1.02]},
    )
    return readable_fonts(fig)
