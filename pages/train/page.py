"""Train live: choose a network, data and hyperparameters; watch the network learn; inspect it.

At the top, Start and the live panel side by side (the loss, the probe image, its feature maps):
a teacher at a projector presses Start and shows the learning on one screen. Below, the lesson
in its order: 1. setup (network, data, augmentation), 2. hyperparameters, 3. the run in detail
(every layer, the filters, the per-epoch curves), then the results and "try it yourself".
Start uses the settings drawn further down: the page draws them first and fills the top
container afterwards. Widget groups live in this folder (``setup``, ``augment``, ``hyper``, ``live``,
``panel``, ``results``, ``try_it``); the maths in ``cnnviz`` (``cnnviz.train``, ``cnnviz.jobs``,
``cnnviz.viz``).

Training runs in a ``cnnviz.jobs.TrainingJob`` (a worker process of the server's pool) kept in
the session slot ``"train_job"`` (``pages.shared.jobs``); Start/Pause/Resume/Stop are
``on_click`` callbacks; fragments poll the job while it is active (the project's Streamlit
design notes, "Live training"). Every setting keeps its value across page switches
(``pages.shared.widgets``).
"""

from __future__ import annotations

import streamlit as st

from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults
from pages.train.augment import augment_ui
from pages.train.hyper import HYPER_DEFAULTS, hyper_ui, schedule_ui
from pages.train.live import TrainRequest, deck_ui, details_ui, train_job
from pages.train.results import after_training, load_ui, record_run
from pages.train.setup import SETUP_DEFAULTS, data_ui, fitting_ui, network_ui
from pages.train.try_it import try_it_yourself

use_router()

set_defaults({**SETUP_DEFAULTS, **HYPER_DEFAULTS})
st.title(tr("train.title"))

job = train_job()
if job is not None and job.active:
    job.heartbeat()

# Start beside the live panel: filled in once the settings below have been read
deck = st.container()
st.caption(tr("train.intro"))

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

with deck:
    deck_ui(request)

# 3. The run in detail: every layer, the filters, the curves per epoch
st.header(tr("live.details_title"))
details_ui()
job = train_job()
if job is not None and not job.active:
    record_run()
    after_training(job)

# After training: load a checkpoint, try the model on your own picture
st.divider()
load_ui()
try_it_yourself(train_job())
