"""The Overfitting lab's first two tabs: the guided scenarios and "Your experiment". Not a page.

``experiment_controls_ui()`` reads the controls (widgets ``lab_w_<field>``, kept across page
switches with ``persist_state``; the page gives their first-visit values) and returns a
``LabSetup`` (or None after showing why the values are invalid); ``experiment_train_ui(setup)``
shows its size and the Train button.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lab import MAX_SEED, MAX_TRAIN_SIZE, SCENARIO_ORDER, SCENARIOS, LabSetup, setup_configs
from pages.lab.jobs import start_experiment, start_scenario
from pages.lab.state import FIELDS, busy, param_count
from pages.shared.scenarios import scenario_setup
from pages.shared.session import tr
from pages.shared.widgets import PERSIST

__all__ = [
    "experiment_controls_ui",
    "experiment_train_ui",
    "ready_scenario_ui",
    "scenarios_tab",
]

_INT_FIELDS = ("train_size", "depth", "epochs", "seed")
_FLOAT_FIELDS = ("label_noise", "width", "dropout", "weight_decay", "l1", "lr")


def _scenario_card(scenario_id: str, number: int, running: bool, key: str) -> None:
    """One scenario's card: what it sets up, what to look for, and its Run button."""
    st.subheader(tr(f"lab.scenario.{scenario_id}.title"))
    scenario_setup(scenario_id)
    st.button(
        tr("lab.scenario.run", number=number),
        key=key,
        on_click=start_scenario,
        args=(scenario_id,),
        disabled=running,
        type="primary",
        width="stretch",
    )


def scenarios_tab() -> None:
    """Three cards: what each scenario sets up, what to look for, and its Run button."""
    running = busy()
    cols = st.columns(3)
    for number, (col, scenario_id) in enumerate(zip(cols, SCENARIO_ORDER, strict=True), start=1):
        with col.container(border=True):
            _scenario_card(scenario_id, number, running, f"lab_run_{scenario_id}")


def ready_scenario_ui() -> None:
    """The scenario a link asked for (``/lab?scenario=overfit``, from a lesson step), ready to
    run above the tabs. The value is checked here, on the server: an unknown one is named, with
    the ones that exist, and dropped from the URL."""
    wanted = st.query_params.get("scenario")
    if wanted is None:
        return
    if wanted not in SCENARIOS:
        st.warning(
            tr("lab.error.bad_scenario", value=str(wanted)[:40], allowed=", ".join(SCENARIO_ORDER)),
            icon="⚠️",
        )
        del st.query_params["scenario"]
        return
    with st.container(border=True):
        st.markdown(f"**{tr('lab.scenario.ready')}**")
        number = SCENARIO_ORDER.index(wanted) + 1
        _scenario_card(wanted, number, busy(), f"lab_ready_{wanted}")


def _data_controls() -> None:
    st.markdown(f"**{tr('lab.exp.data')}**")
    st.slider(
        tr("lab.ctl.train_size"),
        min_value=10,
        max_value=MAX_TRAIN_SIZE,
        step=10,
        key="lab_w_train_size",
        persist_state=PERSIST,
        help=tr("lab.ctl.train_size.help"),
    )
    st.slider(
        tr("lab.ctl.label_noise"),
        min_value=0.0,
        max_value=0.8,
        step=0.05,
        key="lab_w_label_noise",
        persist_state=PERSIST,
        help=tr("lab.ctl.label_noise.help"),
    )


def _model_controls() -> None:
    st.markdown(f"**{tr('lab.exp.model')}**")
    st.slider(
        tr("lab.ctl.width"),
        min_value=0.125,
        max_value=8.0,
        step=0.125,
        key="lab_w_width",
        persist_state=PERSIST,
        help=tr("lab.ctl.width.help"),
    )
    st.slider(
        tr("lab.ctl.depth"),
        1,
        4,
        key="lab_w_depth",
        persist_state=PERSIST,
        help=tr("lab.ctl.depth.help"),
    )
    st.toggle(tr("lab.ctl.batch_norm"), key="lab_w_batch_norm", persist_state=PERSIST)


def _regularisation_controls() -> None:
    st.markdown(f"**{tr('lab.exp.regularisation')}**")
    st.slider(
        tr("lab.ctl.dropout"),
        min_value=0.0,
        max_value=0.9,
        step=0.05,
        key="lab_w_dropout",
        persist_state=PERSIST,
        help=tr("lab.ctl.dropout.help"),
    )
    st.number_input(
        tr("lab.ctl.weight_decay"),
        min_value=0.0,
        max_value=0.1,
        step=1e-4,
        format="%g",
        key="lab_w_weight_decay",
        persist_state=PERSIST,
        help=tr("lab.ctl.weight_decay.help"),
    )
    st.number_input(
        tr("lab.ctl.l1"),
        min_value=0.0,
        max_value=0.01,
        step=1e-5,
        format="%g",
        key="lab_w_l1",
        persist_state=PERSIST,
        help=tr("lab.ctl.l1.help"),
    )
    st.toggle(
        tr("lab.ctl.augment"),
        key="lab_w_augment",
        persist_state=PERSIST,
        help=tr("lab.ctl.augment.help"),
    )
    st.toggle(
        tr("lab.ctl.early_stopping"),
        key="lab_w_early_stopping",
        persist_state=PERSIST,
        help=tr("lab.ctl.early_stopping.help"),
    )


def _training_controls() -> None:
    st.markdown(f"**{tr('lab.exp.training')}**")
    st.slider(tr("lab.ctl.epochs"), 1, 100, key="lab_w_epochs", persist_state=PERSIST)
    st.number_input(
        tr("lab.ctl.lr"),
        min_value=1e-5,
        max_value=0.1,
        step=1e-4,
        format="%g",
        key="lab_w_lr",
        persist_state=PERSIST,
    )
    st.number_input(
        tr("lab.ctl.seed"),
        min_value=0,
        max_value=MAX_SEED,
        step=1,
        key="lab_w_seed",
        persist_state=PERSIST,
        help=tr("lab.ctl.seed.help"),
    )
    st.checkbox(
        tr("lab.ctl.keep_weights"),
        key="lab_w_keep_weights",
        persist_state=PERSIST,
        help=tr("lab.ctl.keep_weights.help"),
    )


def experiment_controls_ui() -> LabSetup | None:
    """The experiment's controls in four columns; the valid setup they show (kept in
    ``lab_setup``), or None after an error saying what to change."""
    st.caption(tr("lab.exp.intro"))
    data_col, model_col, reg_col, train_col = st.columns(4)
    with data_col:
        _data_controls()
    with model_col:
        _model_controls()
    with reg_col:
        _regularisation_controls()
    with train_col:
        _training_controls()
    values = {name: st.session_state[f"lab_w_{name}"] for name in FIELDS}
    for name in _INT_FIELDS:
        values[name] = int(values[name])
    for name in _FLOAT_FIELDS:
        values[name] = float(values[name])
    try:
        setup = LabSetup(**values)
    except ValueError as exc:
        st.error(tr("lab.exp.invalid", error=str(exc)))
        return None
    st.session_state["lab_setup"] = setup
    return setup


def experiment_train_ui(setup: LabSetup) -> None:
    """The setup's parameter count against its training images, and the Train button."""
    net, _, _ = setup_configs(setup)
    params = param_count(net)
    st.caption(
        tr(
            "lab.exp.params",
            params=f"{params:,}",
            n=setup.train_size,
            ratio=params / setup.train_size,
        )
    )
    st.button(
        tr("lab.exp.train"),
        key="lab_train",
        type="primary",
        on_click=start_experiment,
        disabled=busy(),
    )
