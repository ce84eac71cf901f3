"""The Optimizers page, parts 1 and 2: the surface and the race on it. Not a page.

``surface_ui`` draws the surface settings and returns the :class:`Surface`; ``race_ui`` draws the
racers' settings, checks them into a :class:`Race` (or explains what is wrong and keeps the last
good race), draws the contour (click it to move the start) or the 3-D view, and says how each
racer ended.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import (
    KINDS,
    MAX_NOISE,
    MAX_STEPS,
    SURFACES,
    LearningInputError,
    Race,
    Racer,
    RaceResult,
    Surface,
    parse_lr,
)
from cnnviz.i18n import t
from pages.optimizers import cache
from pages.optimizers.state import LAST_RACE, last_race, lr_key, reset_for_surface
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, show_error, tr
from pages.shared.widgets import PERSIST

__all__ = ["race_ui", "surface_ui"]

CONDITIONS = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]


def surface_ui() -> Surface:
    """Which surface, its condition number (the bowl), the view; returns the surface."""
    language = lang()
    cols = st.columns([2, 2, 2])
    cols[0].selectbox(
        tr("opt.surface.pick"),
        SURFACES,
        key="opt_w_surface",
        persist_state=PERSIST,
        format_func=lambda k, language=language: t(f"opt.surface.{k}", language),
        on_change=reset_for_surface,
    )
    kind = st.session_state["opt_w_surface"]
    if kind == "bowl":
        cols[1].select_slider(
            tr("opt.surface.condition"),
            CONDITIONS,
            key="opt_w_condition",
            persist_state=PERSIST,
            format_func=lambda v: f"{v:g}",
            help=tr("opt.surface.condition_help"),
        )
    cols[2].radio(
        tr("opt.surface.view"),
        ["contour", "3d"],
        key="opt_w_view",
        persist_state=PERSIST,
        horizontal=True,
        format_func=lambda v, language=language: t(f"opt.surface.view_{v}", language),
    )
    condition = float(st.session_state["opt_w_condition"]) if kind == "bowl" else 10.0
    surface = Surface(kind, condition=condition)
    st.caption(tr(f"opt.surface.about_{kind}", kappa=f"{condition:g}"))
    return surface


def _racers_ui() -> list[tuple[str, str]]:
    """The chosen optimizers and the text of each one's learning rate."""
    language = lang()
    chosen = st.multiselect(
        tr("opt.race.pick"),
        KINDS,
        key="opt_w_racers",
        persist_state=PERSIST,
        format_func=lambda k, language=language: t(f"opt.short.{k}", language),
        help=tr("opt.race.pick_help"),
    )
    picked = [k for k in KINDS if k in chosen]
    columns = st.columns(min(5, max(1, len(picked))))
    for slot, kind in enumerate(picked):
        columns[slot % len(columns)].text_input(
            tr("opt.race.lr", name=tr(f"opt.short.{kind}")),
            key=lr_key(kind),
            persist_state=PERSIST,
            help=tr("opt.race.lr_help"),
        )
    return [(kind, str(st.session_state.get(lr_key(kind), ""))) for kind in picked]


def _settings_ui(surface: Surface) -> tuple[float, float, int, float, int]:
    cols = st.columns([1, 1, 2, 2, 1])
    cols[0].number_input(
        tr("opt.race.x0"), key="opt_w_x0", step=0.1, format="%.2f", persist_state=PERSIST
    )
    cols[1].number_input(
        tr("opt.race.y0"), key="opt_w_y0", step=0.1, format="%.2f", persist_state=PERSIST
    )
    cols[2].slider(
        tr("opt.race.steps"), 10, MAX_STEPS, step=10, key="opt_w_steps", persist_state=PERSIST
    )
    cols[3].slider(
        tr("opt.race.noise"),
        0.0,
        MAX_NOISE,
        step=0.05,
        key="opt_w_noise",
        persist_state=PERSIST,
        help=tr("opt.race.noise_help"),
    )
    cols[4].number_input(
        tr("opt.race.seed"), 0, 10**6, step=1, key="opt_w_seed", persist_state=PERSIST
    )
    state = st.session_state
    return (
        float(state["opt_w_x0"]),
        float(state["opt_w_y0"]),
        int(state["opt_w_steps"]),
        float(state["opt_w_noise"]),
        int(state["opt_w_seed"]),
    )


def _checked_race(surface: Surface) -> Race | None:
    """The race the settings describe, or None after showing what is wrong."""
    texts = _racers_ui()
    x0, y0, steps, noise, seed = _settings_ui(surface)
    try:
        racers = tuple(
            Racer(kind, parse_lr(text, name=tr(f"opt.short.{kind}"))) for kind, text in texts
        )
        race = Race(surface, racers, (x0, y0), steps=steps, noise=noise, seed=seed)
    except LearningInputError as exc:
        show_error(exc)
        previous = last_race()
        if previous is not None:
            st.info(tr("opt.race.kept"))
        return previous
    st.session_state[LAST_RACE] = race
    return race


def _move_start() -> None:
    """A click on the contour's marker grid moves the start point there (a widget callback)."""
    event = st.session_state.get("opt_race_chart") or {}
    for point in event.get("selection", {}).get("points", []):
        # only the click layer carries customdata (it arrives as {"0": x, "1": y}: plotly sends
        # NumPy arrays typed); its marker sits at the start point it offers
        x, y = point.get("x"), point.get("y")
        numbers = isinstance(x, (int, float)) and isinstance(y, (int, float))
        if point.get("customdata") is not None and numbers:
            st.session_state["opt_w_x0"] = round(float(x), 2)
            st.session_state["opt_w_y0"] = round(float(y), 2)
            return


def _ending(result: RaceResult, index: int) -> str:
    """How racer ``index`` ended, in words: where it stopped and why, or its final loss."""
    racer = result.race.racers[index]
    name = tr(f"opt.short.{racer.kind}")
    stop = result.stops[index]
    if stop is not None:
        return tr(f"opt.race.stopped_{stop.reason}", name=name, lr=f"{racer.lr:g}", step=stop.step)
    x, y = result.positions[index, -1]
    return tr(
        "opt.race.ended",
        name=name,
        lr=f"{racer.lr:g}",
        steps=result.race.steps,
        loss=f"{result.losses[index, -1]:.4g}",
        x=f"{x:.3f}",
        y=f"{y:.3f}",
    )


def race_ui(surface: Surface) -> RaceResult | None:
    """The racers, the chart (contour with frames, or 3-D) and how each racer ended."""
    race = _checked_race(surface)
    shown = race if race is not None and race.surface == surface else None
    if st.session_state["opt_w_view"] == "3d":
        st.plotly_chart(
            cache.surface_chart(shown, surface, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key="opt_surface_3d",
        )
    else:
        st.caption(tr("opt.race.click_hint"))
        st.plotly_chart(
            cache.race_chart(shown, surface, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key="opt_race_chart",
            on_select=_move_start,
            selection_mode="points",
        )
    if shown is None:
        return None
    result = cache.race(shown)
    for index in range(len(shown.racers)):
        if result.stops[index] is not None:
            st.warning(_ending(result, index), icon="⚠️")
        else:
            st.markdown(_ending(result, index))
    return result
