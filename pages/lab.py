"""Overfitting lab: provoke overfitting and underfitting, diagnose them from the curves, cure them.

Every run trains in a background job (``cnnviz.jobs.TrainingJob`` for one run, a
``cnnviz.sequence_job.SequenceJob`` for a sweep, the L1/L2 demo or ensemble members) that waits
for the process's one job limiter (``cnnviz.jobs.shared_limiter``, shared with the Train page);
fragments poll the job once a second while it is active, and the finished runs go to
``st.session_state["runs"]``.

The page's parts live in page-private modules:
``pages/_lab_state.py`` (session keys, cached data, the flash message),
``pages/_lab_jobs.py`` (starting runs, recording finished ones),
``pages/_lab_run.py`` (the current run: live curves, diagnosis, remedies),
``pages/_lab_experiment.py`` (guided scenarios, your experiment),
``pages/_lab_compare.py`` (compare runs, manage and export the history),
``pages/_lab_sequences.py`` (capacity sweep, L1 vs L2, ensembles).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lab_setup import LAB_VAL_SIZE
from pages._lab_compare import compare_tab
from pages._lab_experiment import experiment_controls_ui, experiment_train_ui, scenarios_tab
from pages._lab_jobs import collect_finished
from pages._lab_run import run_panel
from pages._lab_sequences import ensemble_tab, regularisation_tab, sweep_tab
from pages._lab_state import show_flash
from pages._ui import tr

st.title(tr("lab.title"))
st.caption(tr("lab.intro"))
with st.expander(tr("lab.concepts.title")):
    st.markdown(tr("lab.concepts.body"))
st.caption(tr("lab.data_note", val=LAB_VAL_SIZE))

# Runs that ended since the last run of the page join the history; a callback's message shows.
collect_finished()
show_flash()

# The current run: live curves while it trains, then the diagnosis and one-click remedies.
with st.container(border=True):
    run_panel()

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
