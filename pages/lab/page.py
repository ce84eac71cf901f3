"""Overfitting lab: provoke overfitting and underfitting, diagnose them from the curves, cure them.

Every run trains in a background job (``cnnviz.jobs.TrainingJob`` for one run, a
``cnnviz.jobs.sequence.SequenceJob`` for a sweep, the L1/L2 demo or ensemble members) that waits
for a worker of the server's one pool (``cnnviz.jobs.shared_pool``, shared with the Train page);
fragments poll the job once a second while it is active, and the finished runs join the session's
run history (``pages.shared.runs``). Jobs start through ``pages.shared.jobs``, the data comes from
the server's one dataset cache (``pages.shared.datasets``), a callback's message is a flash
(``pages.shared.flash``) and the experiment controls keep their values across page switches
(``pages.shared.widgets``).

The page's parts live in page-private modules:
``pages/lab/state.py`` (job slots, widget keys, small formatters),
``pages/lab/jobs.py`` (starting runs, recording finished ones),
``pages/lab/run.py`` (the current run: live curves, diagnosis, remedies),
``pages/lab/experiment.py`` (guided scenarios, the one a link asks for, your experiment),
``pages/lab/compare.py`` (compare runs, manage and export the history),
``pages/lab/sequences.py`` (capacity sweep, L1 vs L2, ensembles).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lab import LAB_VAL_SIZE
from pages.lab.compare import compare_tab
from pages.lab.experiment import (
    experiment_controls_ui,
    experiment_train_ui,
    ready_scenario_ui,
    scenarios_tab,
)
from pages.lab.jobs import collect_finished
from pages.lab.run import run_panel
from pages.lab.sequences import ensemble_tab, regularisation_tab, sweep_tab
from pages.lab.state import RUN_PANEL, SHOW_RUN, current_setup, setup_widgets
from pages.shared.flash import show_flash
from pages.shared.layout import scroll_into_view
from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(setup_widgets(current_setup()))  # the experiment controls on the first visit
st.title(tr("lab.title"))
st.caption(tr("lab.intro"))
with st.expander(tr("lab.concepts.title")):
    st.markdown(tr("lab.concepts.body"))
st.caption(tr("lab.data_note", val=LAB_VAL_SIZE))

# Runs that ended since the last run of the page join the history; a callback's message shows.
collect_finished()
show_flash("lab")

# The current run: live curves while it trains, then the diagnosis and one-click remedies.
# The Run buttons sit below it (in the tabs): after a click the panel scrolls into view.
with st.container(border=True, key=RUN_PANEL):
    run_panel()
if st.session_state.pop(SHOW_RUN, False):
    scroll_into_view(RUN_PANEL)

# A lesson step's link (``?scenario=<id>``) puts that scenario's card above the tabs, ready to run.
ready_scenario_ui()

scenarios, experiment, compare, sweep, regularisation, ensemble = st.tabs(
    [
        tr("lab.tab.scenarios"),
        tr("lab.tab.experiment"),
        tr("lab.tab.compare"),
        tr("lab.tab.sweep"),
        tr("lab.tab.regularisation"),
        tr("lab.tab.ensemble"),
    ]
)
with scenarios:
    scenarios_tab()
with experiment:
    setup = experiment_controls_ui()
    if setup is not None:
        experiment_train_ui(setup)
with compare:
    compare_tab()
with sweep:
    sweep_tab()
with regularisation:
    regularisation_tab()
with ensemble:
    ensemble_tab()
