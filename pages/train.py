"""Train live: choose a network, data and hyperparameters; watch the network learn; inspect it.

The page reads top to bottom as the lesson does: 1. setup (network, data, augmentation),
2. hyperparameters, 3. the live run, then the results and "try it yourself". Widget groups live in
``pages/_train_*.py``; the maths in ``cnnviz`` (training, evaluation, viz_train).

Training runs in a ``cnnviz.jobs.TrainingJob`` worker thread kept in ``st.session_state["train_job"]``;
Start/Pause/Resume/Stop are ``on_click`` callbacks; the live panel is a fragment that polls
``job.snapshot()`` once a second while the job is active (see ../shared/STREAMLIT.md).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.jobs import TrainingJob
from pages._train_hyper import hyper_ui, schedule_ui
from pages._train_live import TrainRequest, controls_ui, live_ui
from pages._train_results import after_training, load_ui, record_run
from pages._train_setup import augment_ui, data_ui, fitting_ui, network_ui
from pages._train_try import try_it_yourself
from pages._ui import tr

st.title(tr("train.title"))
st.caption(tr("train.intro"))

job: TrainingJob | None = st.session_state.get("train_job")
if job is not None and job.active:
    job.heartbeat()

# 1. Setup: which network learns from which images
st.header(tr("train.setup.title"))
net_col, data_col = st.columns([2, 3])
with net_col:
    st.subheader(tr("train.net.title"))
    net = network_ui()
with data_col:
    st.subheader(tr("train.data.title"))
    data_cfg, bundle, bundle_key = data_ui()
augment = augment_ui(bundle, bundle_key)
fitting = fitting_ui(net, bundle)

# 2. Hyperparameters: how it learns
st.header(tr("train.hp.title"))
cfg, keep_weights = hyper_ui(augment)
request = None
if fitting is not None and cfg is not None and schedule_ui(fitting, cfg):
    request = TrainRequest(fitting.net, fitting.data, cfg, data_cfg, keep_weights)

# 3. Train live: the buttons, then the panel that follows the job
st.header(tr("train.live.title"))
controls_ui(request)
job = st.session_state.get("train_job")
if job is None:
    st.info(tr("train.live.empty"))
else:
    live_ui(job)
    if not job.active:
        record_run(job)
        after_training(job)

# After training: load a checkpoint, try the model on your own picture
st.divider()
load_ui()
try_it_yourself(st.session_state.get("train_job"))
