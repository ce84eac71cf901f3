"""The Optimizers page's cached computations (every learner with the same settings shares them).
Not a page.

Races and grids are small NumPy records (``st.cache_data``). Figures with animation frames are
kept as they are (``st.cache_resource``): copying them back through pickle would rebuild and
re-validate every frame; they are never modified after they are built.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from cnnviz.concepts import (
    Race,
    RaceResult,
    StepDetail,
    StepSizeReport,
    Surface,
    SurfaceGrid,
    inspect_step,
    run_race,
    step_size_report,
    surface_grid,
)
from cnnviz.viz import race_figure, step_figure, surface_3d_figure

__all__ = ["grid", "race", "race_chart", "step_chart", "step_detail", "step_size", "surface_chart"]


@st.cache_data(max_entries=16, show_spinner=False)
def grid(surface: Surface) -> SurfaceGrid:
    """``surface`` on the contour grid."""
    return surface_grid(surface)


@st.cache_data(max_entries=64, show_spinner=False)
def race(settings: Race) -> RaceResult:
    """The race ``settings`` describe, run once per server."""
    return run_race(settings)


@st.cache_resource(max_entries=32, show_spinner=False)
def race_chart(settings: Race | None, surface: Surface, lang: str) -> go.Figure:
    """The animated contour and loss chart of a race (the contour alone without one)."""
    result = race(settings) if settings is not None else None
    return race_figure(surface, grid(surface), result, lang)


@st.cache_resource(max_entries=16, show_spinner=False)
def surface_chart(settings: Race | None, surface: Surface, lang: str) -> go.Figure:
    """The 3-D view of a race."""
    result = race(settings) if settings is not None else None
    return surface_3d_figure(surface, grid(surface), result, lang)


@st.cache_data(max_entries=256, show_spinner=False)
def step_detail(settings: Race, index: int, step: int) -> StepDetail:
    """Racer ``index``'s update at ``step`` (its real optimizer re-run to that step: at most 500
    steps of one optimizer, then cached per race, racer and step)."""
    return inspect_step(race(settings), index, step)


@st.cache_resource(max_entries=64, show_spinner=False)
def step_chart(settings: Race, index: int, step: int, lang: str) -> go.Figure:
    """Racer ``index``'s step ``step`` drawn as arrows on the contour."""
    surface = settings.surface
    return step_figure(
        surface, grid(surface), race(settings), index, step_detail(settings, index, step), lang
    )


@st.cache_data(max_entries=64, show_spinner=False)
def step_size(surface: Surface, lr: float) -> StepSizeReport:
    """Plain SGD with ``lr`` on the bowl ``surface``."""
    return step_size_report(surface, lr)
