"""Session state of the Optimizers page (``pages/optimizers/page.py``): widget keys, their
first-visit values, and the last race the learner's settings produced. Not a page.

Widgets ``opt_w_<name>`` keep their values across page switches (``pages.shared.widgets``).
``opt_last_race`` holds the last valid :class:`cnnviz.concepts.Race`: when a setting is wrong the
page says so and keeps showing that race. ``opt_job`` is the slot of the two trainings on the
shapes data (``pages.shared.jobs``).
"""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from cnnviz.concepts import KINDS, Race, Surface, default_lr

__all__ = [
    "DEFAULT_RACERS",
    "JOB_SLOT",
    "LAST_RACE",
    "PAGE",
    "defaults",
    "last_race",
    "lr_key",
    "reset_for_surface",
]

PAGE: Final[str] = "optimizers"
JOB_SLOT: Final[str] = "opt_job"
LAST_RACE: Final[str] = "opt_last_race"
DEFAULT_RACERS: Final[list[str]] = ["sgd", "momentum", "adam"]


def lr_key(kind: str) -> str:
    """The widget key of optimizer ``kind``'s learning-rate box."""
    return f"opt_w_lr_{kind}"


def _surface_values(kind: str) -> dict[str, Any]:
    surface = Surface(kind)
    x, y = surface.default_start
    values: dict[str, Any] = {"opt_w_x0": x, "opt_w_y0": y}
    values.update({lr_key(k): f"{default_lr(kind, k):g}" for k in KINDS})
    return values


def defaults() -> dict[str, Any]:
    """First-visit values of every widget of the page."""
    return {
        "opt_w_surface": "bowl",
        "opt_w_condition": 20.0,
        "opt_w_noise": 0.0,
        "opt_w_seed": 0,
        "opt_w_steps": 150,
        "opt_w_view": "contour",
        "opt_w_racers": list(DEFAULT_RACERS),
        "opt_w_inspect": DEFAULT_RACERS[-1],
        "opt_w_inspect_step": 1,
        "opt_w_ss_curvature": 1.0,
        "opt_w_ss_lr": 1.5,
        "opt_w_train_a": "sgd",
        "opt_w_train_a_lr": 0.03,
        "opt_w_train_b": "adam",
        "opt_w_train_b_lr": 0.003,
        "opt_w_train_epochs": 8,
        **_surface_values("bowl"),
    }


def reset_for_surface() -> None:
    """A new surface: its own start point and learning rates that suit it (a widget callback)."""
    st.session_state.update(_surface_values(st.session_state["opt_w_surface"]))


def last_race() -> Race | None:
    """The last valid race of this session, or None."""
    race = st.session_state.get(LAST_RACE)
    return race if isinstance(race, Race) else None
