"""Plotly figures of a dataset: a grid of sample images with their classes, and an augmentation
preview (one image and eight random augmentations of it).

Images are shown as they are stored, de-normalised back to pixels ``x * std[c] + mean[c]``.

Lesson: the "Train live" page (dataset and augmentation panels).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from cnnviz.data import (
    AugmentConfig,
    DatasetBundle,
    augment_batch,
    class_label,
    pca_colour_basis,
)
from cnnviz.i18n import t
from cnnviz.viz.theme import readable_fonts

__all__ = ["augmentation_preview", "balanced_indices", "image_grid", "sample_grid"]

_CELL_PX = 120  # height of one grid row in pixels, title included


def _class_label(name: str, lang: str) -> str:

    return class_label(name, lang)


def balanced_indices(labels: torch.Tensor, n: int) -> list[int]:
    """Up to ``n`` indices taking each class in turn (first of class 0, of class 1, ..., then the
    second of each), so a small grid shows every class."""
    per_class = [
        torch.nonzero(labels == k).flatten().tolist() for k in range(int(labels.max()) + 1)
    ]
    chosen: list[int] = []
    for rank in range(max((len(members) for members in per_class), default=0)):
        for members in per_class:
            if rank < len(members):
                chosen.append(members[rank])
                if len(chosen) == n:
                    return chosen
    return chosen


def _to_rgb(pixels: torch.Tensor) -> np.ndarray:
    """``(C, H, W)`` in [0, 1] -> ``(H, W, 3)`` uint8 for ``go.Image`` (grey repeated)."""
    array = (pixels.clamp(0.0, 1.0) * 255).round().to(torch.uint8).numpy()
    if array.shape[0] == 1:
        array = np.repeat(array, 3, axis=0)
    return np.ascontiguousarray(array.transpose(1, 2, 0))


def image_grid(
    images: torch.Tensor, titles: list[str], *, columns: int = 8, hover: list[str] | None = None
) -> go.Figure:
    """A grid of ``(N, C, H, W)`` pixel images in [0, 1], one title above each."""
    count = images.shape[0]
    columns = max(1, min(columns, count))
    rows = max(1, math.ceil(count / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        horizontal_spacing=0.02,
        vertical_spacing=min(0.3 / rows, 0.08),
    )
    for index in range(count):
        label = (hover or titles)[index].replace("%", "%%")
        figure.add_trace(
            go.Image(z=_to_rgb(images[index]), hovertemplate=f"{label}<extra></extra>"),
            row=index // columns + 1,
            col=index % columns + 1,
        )
    figure.update_xaxes(visible=False, showticklabels=False)
    figure.update_yaxes(visible=False, showticklabels=False, scaleanchor=None)
    readable_fonts(figure)
    figure.update_layout(
        height=rows * _CELL_PX + 30,
        margin={"l": 5, "r": 5, "t": 30, "b": 5},
        showlegend=False,
    )
    return figure


def sample_grid(
    bundle: DatasetBundle, n: int = 16, lang: str = "en", *, split: str = "train"
) -> go.Figure:
    """``n`` images of the training (or ``split="val"``) set, every class in turn, each titled
    with its class name in ``lang``."""
    x, y = (bundle.val_x, bundle.val_y) if split == "val" else (bundle.train_x, bundle.train_y)
    chosen = balanced_indices(y, max(1, n))
    images = bundle.denormalise(x[chosen])
    titles = [_class_label(bundle.class_names[int(y[i])], lang) for i in chosen]
    return image_grid(images, titles, columns=8)


def augmentation_preview(
    bundle: DatasetBundle, cfg: AugmentConfig, seed: int = 0, *, lang: str = "en", index: int = 0
) -> go.Figure:
    """Training image ``index`` and 8 random augmentations of it (generator seeded with ``seed``),
    as the training loop would see them (the preview shows them even when ``cfg.enabled`` is off)."""
    index = min(max(index, 0), bundle.train_x.shape[0] - 1)
    original = bundle.train_x[index : index + 1]  # (1, C, H, W)
    batch = original.repeat(8, 1, 1, 1)
    generator = torch.Generator().manual_seed(seed)
    preview_cfg = dataclasses.replace(cfg, enabled=True, ten_crop=False)  # ten crops: a test view
    basis = None
    if preview_cfg.pca_colour > 0:  # the training set's colour PCA, as training uses it
        basis = pca_colour_basis(bundle.train_x, bundle.mean, bundle.std)
    augmented = augment_batch(
        batch, preview_cfg, generator, mean=bundle.mean, std=bundle.std, colour_basis=basis
    )
    images = bundle.denormalise(torch.cat((original, augmented)))
    name = _class_label(bundle.class_names[int(bundle.train_y[index])], lang)
    titles = [t("data.viz.original", lang)] + [
        t("data.viz.augmented", lang, number=k) for k in range(1, 9)
    ]
    hover = [f"{title}: {name}" for title in titles]
    return image_grid(images, titles, columns=9, hover=hover)
