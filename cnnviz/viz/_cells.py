"""Cell geometry of the stepper grids: rectangles around cells, as plotly path lists.

Internal to :mod:`cnnviz.viz` (re-exported by :mod:`cnnviz.viz._panels`, which draws with them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__: list[str] = []


def cell_box(
    r0: float, r1: float, c0: float, c1: float
) -> tuple[list[float | None], list[float | None]]:
    """A closed rectangle around cells rows r0..r1, cols c0..c1 (inclusive), as x/y lists."""
    x = [c0 - 0.5, c1 + 0.5, c1 + 0.5, c0 - 0.5, c0 - 0.5, None]
    y = [r0 - 0.5, r0 - 0.5, r1 + 0.5, r1 + 0.5, r0 - 0.5, None]
    return x, y


def cell_boxes(cells: Sequence[tuple[float, float, float, float]]) -> tuple[list[Any], list[Any]]:
    xs: list[Any] = []
    ys: list[Any] = []
    for r0, r1, c0, c1 in cells:
        x, y = cell_box(r0, r1, c0, c1)
        xs += x
        ys += y
    return xs, ys


def mask_runs(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles ``(r0, r1, c0, c1)`` covering exactly the True cells of ``mask``: horizontal
    runs, merged downwards while the next rows have the same run (a padding ring is 4)."""
    open_runs: dict[tuple[int, int], int] = {}  # (c0, c1) -> first row of a run still growing
    rects = []
    mask = np.asarray(mask, dtype=bool)
    for r, row in enumerate(mask):
        runs = set()
        c, width = 0, len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                runs.add((start, c - 1))
            else:
                c += 1
        for span in [s for s in open_runs if s not in runs]:
            rects.append((open_runs.pop(span), r - 1, *span))
        for span in runs:
            open_runs.setdefault(span, r)
    rects += [(top, mask.shape[0] - 1, *span) for span, top in open_runs.items()]
    return sorted(rects)
