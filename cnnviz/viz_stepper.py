"""Plotly figures (and the written-out sums) for the convolution and pooling steppers.

This module only re-exports, so ``from cnnviz.viz_stepper import ...`` keeps working. The figures
live in :mod:`cnnviz.viz_conv` (convolution stepper, written sums, ``conv_code``),
:mod:`cnnviz.viz_pool` (pooling stepper and backward), :mod:`cnnviz.viz_grid` (plain grids, montage,
window positions, probabilities) and :mod:`cnnviz.viz_theme` (:data:`THEME`, ``format_number``),
built from :mod:`cnnviz.viz_panels` and :mod:`cnnviz.viz_animation`; new code imports from those.

Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from cnnviz.viz_conv import (
    conv_code,
    conv_stepper_figure,
    sum_expression,
    total_expression,
    written_sum,
)
from cnnviz.viz_grid import (
    grid_figure,
    montage_figure,
    probability_figure,
    window_positions_figure,
)
from cnnviz.viz_panels import StepperFigure
from cnnviz.viz_pool import pool_backward_figure, pool_expression, pool_stepper_figure
from cnnviz.viz_theme import THEME, StepperTheme, format_number

__all__ = [
    "THEME",
    "StepperFigure",
    "StepperTheme",
    "conv_code",
    "conv_stepper_figure",
    "format_number",
    "grid_figure",
    "montage_figure",
    "pool_backward_figure",
    "pool_expression",
    "pool_stepper_figure",
    "probability_figure",
    "sum_expression",
    "total_expression",
    "window_positions_figure",
    "written_sum",
]
