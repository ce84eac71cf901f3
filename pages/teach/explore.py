"""A lesson step that shows one explorer's figure, set to the step's state, with one or two
controls the learner can play with: a stage of the worked example (the /walkthrough page's grids,
the article's mistakes outlined), activations and their slopes (/activations), gradients through
a deep stack (/activations), a loss on an example (/losses), an optimizer race (/optimizers),
learning-rate schedules (/learning-rate), a stack under an initialisation (/init), a lab scenario
opened in /lab ready to run, and magnitude pruning (/prune).

Every figure is drawn by the explorer's own figure function from ``cnnviz.viz``; every number
comes from ``cnnviz.teach.explorers`` (the explorers' own functions), cached for the whole server
(``st.cache_resource``: small, pure results). Nothing here trains. Used by the lesson page and the
live class through ``pages.teach.step``. Not a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.compress import MAX_SPARSITY
from cnnviz.concepts import (
    INIT_SCHEMES,
    KINDS,
    TOY_DATA,
    ActivationCurve,
    GradientProfile,
    LayerProbe,
    Race,
    RaceResult,
    StackSpec,
    SurfaceGrid,
    probe_stack,
    run_race,
    surface_grid,
)
from cnnviz.data import DataError
from cnnviz.i18n import t
from cnnviz.lab import SCENARIO_ORDER
from cnnviz.lessons import Walkthrough, run_walkthrough
from cnnviz.teach import (
    STAGES,
    PruneState,
    Show,
    activation_state,
    gradients_state,
    init_spec,
    loss_state,
    prune_state,
    race_state,
    readout_state,
    schedule_state,
)
from cnnviz.teach.explorers import SCHEDULE_STEPS_PER_EPOCH
from cnnviz.train import SCHEDULES
from cnnviz.viz import (
    activation_figure_pair,
    format_number,
    gradient_norms_figure,
    grid_figure,
    layer_histograms_figure,
    network_diagram,
    race_figure,
    schedules_figure,
    softmax_bars,
    softmax_figure,
    weights_figure,
)
from pages.shared.charts import CHART_CONFIG, STATIC_CONFIG
from pages.shared.datasets import dataset
from pages.shared.presenter import chart, presenting
from pages.shared.scenarios import scenario_setup
from pages.shared.session import lang, show_error, tr

__all__ = ["EXPLORER_KINDS", "LAB_PAGE", "show_explorer"]

#: The show kinds this module draws.
EXPLORER_KINDS = (
    "stage",
    "activation",
    "gradients",
    "loss",
    "optimizer",
    "schedule",
    "init",
    "scenario",
    "prune",
)
LAB_PAGE = "pages/lab/page.py"
_INIT_IMAGES = 128  # the Initialisation page's probing batch for the linear stack


# ------------------------------------------------------------------------------ cached states


@st.cache_resource(show_spinner=False)
def _walkthrough() -> Walkthrough:
    return run_walkthrough()


@st.cache_resource(max_entries=32, show_spinner=False)
def _curves(show: Show) -> tuple[ActivationCurve, ...]:
    return activation_state(show)


@st.cache_resource(max_entries=32, show_spinner=False)
def _gradients(show: Show, activation: str) -> GradientProfile:
    return gradients_state(show, activation)


@st.cache_resource(max_entries=16, show_spinner=False)
def _race(race: Race) -> tuple[RaceResult, SurfaceGrid]:
    return run_race(race), surface_grid(race.surface)


@st.cache_resource(max_entries=16, show_spinner=False)
def _race_chart(race: Race, language: str) -> go.Figure:
    result, grid = _race(race)
    return race_figure(race.surface, grid, result, language, clickable=False)


@st.cache_resource(max_entries=32, show_spinner=False)
def _schedules(show: Show, names: tuple[str, ...]) -> dict[str, list[float]]:
    return schedule_state(show, names)


@st.cache_resource(max_entries=24, show_spinner=False)
def _probe(spec: StackSpec) -> list[LayerProbe]:
    data = dataset(TOY_DATA)
    return probe_stack(spec, data.val_x[:_INIT_IMAGES], data.val_y[:_INIT_IMAGES], data.num_classes)


@st.cache_resource(max_entries=32, show_spinner=False)
def _pruned(show: Show, sparsity: float) -> PruneState:
    return prune_state(show, sparsity)


# ------------------------------------------------------------------------------------ helpers


def _draw(figure: go.Figure, key: str, config: dict[str, bool] = STATIC_CONFIG) -> None:
    """Draw a figure of this step; presenter mode restyles a copy (cached figures, such as the
    race's, are never changed in place)."""
    if presenting():
        figure = go.Figure(figure)
        figure.update_layout(height=420)
    chart(figure, key=key, config=config)


def _namer(template: str) -> Callable[[str], str]:
    """A widget's ``format_func``: ``template`` with the option in it, in this run's language
    (bound now: Streamlit may call it later)."""
    language = lang()
    return lambda option: t(template.format(option), language)


def _picked(values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """The learner's picks, re-checked on the server, in the explorer's order."""
    return tuple(name for name in allowed if name in values)


# ------------------------------------------------------------------------------------ the kinds


def _stage(show: Show, key: str) -> None:
    walk = _walkthrough()
    stage = st.select_slider(
        tr("lesson.stage.pick"),
        options=list(STAGES),
        value=str(show.get("stage")),
        format_func=_namer("walk.stage.{}"),
        key=f"{key}_stage",
    )
    mistakes = [m for m in walk.mistakes if m.stage == stage]
    title = tr(f"walk.stage.{stage}")
    if stage == "probabilities":
        labels = [tr("walk.class_n", k=k) for k in range(len(walk.probabilities))]
        _draw(softmax_figure(labels, walk.probabilities, title, lang()), f"{key}_figure")
    else:
        values = walk.logits[None] if stage == "logits" else getattr(walk, stage)
        cells: list[tuple[int, int]] = []
        for mistake in mistakes:
            if mistake.where.startswith("("):  # a cell "(row, col)"; else a whole vector
                row, col = (int(v) for v in mistake.where.strip("()").split(", "))
                cells.append((row, col))
        figure = grid_figure(
            values,
            title,
            highlight=cells,
            highlight_label=tr("walk.wrong_in_article"),
            lang=lang(),
            max_px=260,
        )
        _draw(figure, f"{key}_figure")
    if not mistakes:
        st.success(tr("lesson.stage.agrees"), icon="✅")
    for mistake in mistakes:
        st.error(
            tr(
                "lesson.stage.wrong",
                where=mistake.where,
                article=mistake.article,
                correct=mistake.correct,
            ),
            icon="⚠️",
        )


def _activation(show: Show, key: str) -> None:
    cursor = st.slider(
        tr("lesson.act.cursor"),
        -6.0,
        6.0,
        value=float(show.get("cursor")),
        step=0.1,
        key=f"{key}_cursor",
    )
    values, slopes = activation_figure_pair(_curves(show), float(cursor), lang())
    left, right = st.columns(2)
    with left:
        _draw(values, f"{key}_figure")
    with right:
        _draw(slopes, f"{key}_slopes")
    for reading in readout_state(show, float(cursor)):
        st.markdown(
            tr(
                "lesson.act.readout",
                name=tr(f"act.fn.{reading.name}"),
                x=format_number(reading.x),
                value=f"{reading.value:.3f}",
                slope=f"{reading.derivative:.3f}",
            )
        )


def _gradients_view(show: Show, key: str) -> None:
    options = list(dict.fromkeys((str(show.get("activation")), "sigmoid", "tanh", "relu")))
    activation = st.radio(
        tr("lesson.grad.activation"),
        options,
        format_func=_namer("act.fn.{}"),
        horizontal=True,
        key=f"{key}_activation",
    )
    profile = _gradients(show, str(activation))
    label = tr(f"act.fn.{activation}")
    _draw(gradient_norms_figure([(label, profile.weight_norms)], lang()), f"{key}_figure")
    st.markdown(
        tr(
            "lesson.grad.ratio",
            depth=profile.settings.depth,
            first=f"{profile.weight_norms[0]:.2e}",
            last=f"{profile.weight_norms[-1]:.2e}",
        )
    )


def _loss(show: Show, key: str) -> None:
    logits = show.get("logits")
    target = int(show.get("target"))
    score = st.slider(
        tr("lesson.loss.logit", k=target),
        -10.0,
        10.0,
        value=float(np.clip(logits[target], -10.0, 10.0)),
        step=0.1,
        key=f"{key}_logit",
    )
    result = loss_state(show, float(score))
    _draw(softmax_bars(result, lang()), f"{key}_figure")
    st.markdown(
        tr(
            "lesson.loss.value",
            k=target,
            p=f"{result.target_probability:.3f}",
            loss=f"{result.loss:.3f}",
        )
    )


def _optimizer(show: Show, key: str) -> None:
    racers = st.multiselect(
        tr("lesson.opt.racers"),
        list(KINDS),
        default=list(show.get("racers")),
        format_func=_namer("opt.short.{}"),
        max_selections=4,
        key=f"{key}_racers",
    )
    chosen = _picked(racers, KINDS)[:4]  # the widget's limit, checked again here
    if not chosen:
        st.info(tr("lesson.pick_one"), icon="👆")
        chosen = tuple(show.get("racers"))
    race = race_state(show, chosen)
    _draw(_race_chart(race, lang()), f"{key}_figure", CHART_CONFIG)
    st.caption(tr("lesson.opt.caption", surface=tr(f"opt.surface.{race.surface.kind}")))


def _schedule(show: Show, key: str) -> None:
    names = st.multiselect(
        tr("lesson.sched.pick"),
        list(SCHEDULES),
        default=list(show.get("schedules")),
        format_func=_namer("train.schedule.{}"),
        key=f"{key}_schedules",
    )
    chosen = _picked(names, tuple(SCHEDULES))
    if not chosen:
        st.info(tr("lesson.pick_one"), icon="👆")
        chosen = tuple(show.get("schedules"))
    curves = _schedules(show, chosen)
    _draw(schedules_figure(curves, SCHEDULE_STEPS_PER_EPOCH, lang()), f"{key}_figure")
    st.caption(
        tr("lesson.sched.caption", lr=f"{float(show.get('lr')):g}", epochs=show.get("epochs"))
    )


def _init(show: Show, key: str) -> None:
    scheme = st.radio(
        tr("lesson.init.scheme"),
        list(INIT_SCHEMES),
        index=INIT_SCHEMES.index(str(show.get("scheme"))),
        format_func=_namer("init.scheme.{}"),
        horizontal=True,
        key=f"{key}_scheme",
    )
    try:
        probes = _probe(init_spec(show, str(scheme)))
    except DataError as error:
        show_error(error)
        return
    st.caption(tr(f"init.scheme_about.{scheme}"))
    view = str(show.get("view"))
    _draw(layer_histograms_figure(probes, view, lang()), f"{key}_figure")
    first, last = probes[0], probes[-1]
    spread = (first.act_std, last.act_std) if view == "act" else (first.grad_std, last.grad_std)
    st.markdown(
        tr(
            f"lesson.init.spread_{view}",
            first=f"{spread[0]:.2g}",
            last=f"{spread[1]:.2g}",
            depth=last.index,
        )
    )


def _scenario(show: Show, key: str) -> None:
    scenario_id = st.radio(
        tr("lesson.scenario.pick"),
        list(SCENARIO_ORDER),
        index=SCENARIO_ORDER.index(str(show.get("scenario"))),
        format_func=_namer("lab.scenario.{}.title"),
        horizontal=True,
        key=f"{key}_scenario",
    )
    scenario_id = scenario_id if scenario_id in SCENARIO_ORDER else str(show.get("scenario"))
    with st.container(border=True):
        st.markdown(f"**{tr(f'lab.scenario.{scenario_id}.title')}**")
        summary = scenario_setup(scenario_id)
        st.page_link(
            LAB_PAGE,
            label=tr("lesson.scenario.open"),
            icon="🧪",
            query_params={"scenario": scenario_id},
        )
    _draw(network_diagram(summary, lang()), f"{key}_figure")


def _prune(show: Show, key: str) -> None:
    sparsity = st.slider(
        tr("lesson.prune.sparsity"),
        0.0,
        float(MAX_SPARSITY),
        value=float(show.get("sparsity")),
        step=0.05,
        key=f"{key}_sparsity",
    )
    state = _pruned(show, round(min(max(float(sparsity), 0.0), MAX_SPARSITY), 2))
    figure = weights_figure(
        [(tr("lesson.prune.before"), state.before), (tr("lesson.prune.after"), state.after)],
        lang(),
    )
    _draw(figure, f"{key}_figure")
    zeros = state.zeros
    st.markdown(
        tr(
            "lesson.prune.summary",
            zeros=f"{zeros:,}",
            total=f"{state.after.size:,}",
            pct=f"{100 * zeros / max(1, state.after.size):.0f}",
        )
    )


_DRAW = {
    "stage": _stage,
    "activation": _activation,
    "gradients": _gradients_view,
    "loss": _loss,
    "optimizer": _optimizer,
    "schedule": _schedule,
    "init": _init,
    "scenario": _scenario,
    "prune": _prune,
}


def show_explorer(show: Show, key: str) -> None:
    """The step's explorer figure and its controls (``key`` keeps its widgets apart)."""
    _DRAW[show.kind](show, key)
