"""Train page, step 2: every hyperparameter, the learning-rate schedule plot and the size checks.

Each ``*_ui()`` draws one widget group and returns plain values. Widget keys ``train_w_<name>``
keep their values across page switches (``persist_state``); ``HYPER_DEFAULTS`` are their values on
the first visit. Never a page itself.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.data import AugmentConfig
from cnnviz.net import SpecError
from cnnviz.train import (
    BATCH_CHOICES,
    INITS,
    LR_CHOICES,
    OPTIMIZERS,
    SCHEDULES,
    Fitting,
    TrainConfig,
    available_devices,
    batches_per_epoch,
    check_limits,
    lr_curve,
)
from cnnviz.viz import lr_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, show_problems, tr
from pages.shared.widgets import PERSIST
from pages.train.common import formatter, number_text

__all__ = ["HYPER_DEFAULTS", "hyper_ui", "schedule_ui"]

DECAY_CHOICES = [0.0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, 0.1]
L1_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]
SIGMA_CHOICES = [0.001, 0.01, 0.05, 0.1, 1.0]
CLIP_CHOICES = [0.1, 0.5, 1.0, 5.0, 10.0]

#: First-visit values of the hyperparameter widgets (``pages.shared.widgets.set_defaults``).
HYPER_DEFAULTS: dict[str, Any] = {
    "train_w_optimizer": "adam",
    "train_w_lr": 3e-3,
    "train_w_momentum": 0.9,
    "train_w_schedule": "fixed",
    "train_w_batch": 64,
    "train_w_epochs": 10,
    "train_w_wd": 0.0,
    "train_w_l1": 0.0,
    "train_w_smoothing": 0.0,
    "train_w_init": "default",
    "train_w_sigma": 0.01,
    "train_w_clip_on": False,
    "train_w_clip": 1.0,
    "train_w_early": False,
    "train_w_patience": 3,
    "train_w_seed": 0,
    "train_w_device": "auto",
    "train_w_amp": False,
    "train_w_keep": False,
}


@st.cache_data(max_entries=32, show_spinner=False)
def _lr_curve(cfg: TrainConfig, steps_per_epoch: int) -> list[float]:
    return lr_curve(cfg, steps_per_epoch)


def _optimizer_ui() -> None:
    st.selectbox(
        tr("train.hp.optimizer"),
        list(OPTIMIZERS),
        key="train_w_optimizer",
        persist_state=PERSIST,
        format_func=formatter("train.optimizer."),
        help=tr("train.hp.optimizer_help"),
    )
    st.select_slider(
        tr("train.hp.lr"),
        LR_CHOICES,
        key="train_w_lr",
        persist_state=PERSIST,
        format_func=number_text,
        help=tr("train.hp.lr_help"),
    )
    if st.session_state["train_w_optimizer"] in ("momentum", "nesterov"):
        st.slider(
            tr("train.hp.momentum"),
            0.0,
            0.99,
            step=0.01,
            key="train_w_momentum",
            persist_state=PERSIST,
        )


def _schedule_ui() -> None:
    st.selectbox(
        tr("train.hp.schedule"),
        list(SCHEDULES),
        key="train_w_schedule",
        persist_state=PERSIST,
        format_func=formatter("train.schedule."),
        help=tr("train.hp.schedule_help"),
    )
    st.select_slider(
        tr("train.hp.batch_size"),
        BATCH_CHOICES,
        key="train_w_batch",
        persist_state=PERSIST,
        help=tr("train.hp.batch_help"),
    )
    st.slider(
        tr("train.hp.epochs"),
        1,
        100,
        key="train_w_epochs",
        persist_state=PERSIST,
        help=tr("train.hp.epochs_help"),
    )


def _regularisation_ui() -> None:
    st.select_slider(
        tr("train.hp.weight_decay"),
        DECAY_CHOICES,
        key="train_w_wd",
        persist_state=PERSIST,
        format_func=number_text,
        help=tr("train.hp.weight_decay_help"),
    )
    st.select_slider(
        tr("train.hp.l1"),
        L1_CHOICES,
        key="train_w_l1",
        persist_state=PERSIST,
        format_func=number_text,
        help=tr("train.hp.l1_help"),
    )
    st.slider(
        tr("train.hp.label_smoothing"),
        0.0,
        0.3,
        step=0.05,
        key="train_w_smoothing",
        persist_state=PERSIST,
        help=tr("train.hp.label_smoothing_help"),
    )


def _init_and_safety_ui() -> None:
    st.selectbox(
        tr("train.hp.init"),
        list(INITS),
        key="train_w_init",
        persist_state=PERSIST,
        format_func=formatter("train.init."),
        help=tr("train.hp.init_help"),
    )
    if st.session_state["train_w_init"] == "normal":
        st.select_slider(
            tr("train.hp.sigma"),
            SIGMA_CHOICES,
            key="train_w_sigma",
            persist_state=PERSIST,
            format_func=number_text,
        )
    st.toggle(
        tr("train.hp.clip"),
        key="train_w_clip_on",
        persist_state=PERSIST,
        help=tr("train.hp.clip_help"),
    )
    if st.session_state["train_w_clip_on"]:
        st.select_slider(
            tr("train.hp.clip_value"),
            CLIP_CHOICES,
            key="train_w_clip",
            persist_state=PERSIST,
            format_func=number_text,
        )
    st.toggle(
        tr("train.hp.early"),
        key="train_w_early",
        persist_state=PERSIST,
        help=tr("train.hp.early_help"),
    )
    if st.session_state["train_w_early"]:
        st.slider(tr("train.hp.patience"), 1, 10, key="train_w_patience", persist_state=PERSIST)


def _run_ui() -> bool:
    """Seed, device, mixed precision, keep weights; returns whether CUDA is available."""
    cols = st.columns(4)
    devices = ["auto", *available_devices()]
    with cols[0]:
        st.number_input(
            tr("train.hp.seed"),
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            key="train_w_seed",
            persist_state=PERSIST,
            help=tr("train.hp.seed_help"),
        )
    with cols[1]:
        if st.session_state["train_w_device"] not in devices:
            st.session_state["train_w_device"] = "auto"  # e.g. CUDA chosen on another server
        st.selectbox(
            tr("train.hp.device"),
            devices,
            key="train_w_device",
            persist_state=PERSIST,
            format_func=formatter("train.device."),
            help=tr("train.hp.device_help"),
        )
    has_cuda = "cuda" in devices
    with cols[2]:
        st.checkbox(
            tr("train.hp.amp"),
            key="train_w_amp",
            persist_state=PERSIST,
            disabled=not has_cuda,
            help=tr("train.hp.amp_help") if has_cuda else tr("train.hp.amp_no_cuda"),
        )
    with cols[3]:
        st.checkbox(
            tr("train.hp.keep"),
            key="train_w_keep",
            persist_state=PERSIST,
            help=tr("train.hp.keep_help"),
        )
    return has_cuda


def hyper_ui(augment: AugmentConfig) -> tuple[TrainConfig | None, bool]:
    """Every hyperparameter; returns the TrainConfig (None if invalid) and "keep weights"."""
    cols = st.columns(4)
    with cols[0]:
        _optimizer_ui()
    with cols[1]:
        _schedule_ui()
    with cols[2]:
        _regularisation_ui()
    with cols[3]:
        _init_and_safety_ui()
    has_cuda = _run_ui()
    # a hidden widget (momentum for Adam, sigma for the default init, ...) keeps its last value
    value = st.session_state
    try:
        cfg = TrainConfig(
            epochs=int(value["train_w_epochs"]),
            batch_size=int(value["train_w_batch"]),
            optimizer=value["train_w_optimizer"],
            lr=float(value["train_w_lr"]),
            momentum=float(value["train_w_momentum"]),
            weight_decay=float(value["train_w_wd"]),
            l1=float(value["train_w_l1"]),
            schedule=value["train_w_schedule"],
            label_smoothing=float(value["train_w_smoothing"]),
            init=value["train_w_init"],
            init_sigma=float(value["train_w_sigma"]),
            grad_clip=float(value["train_w_clip"]) if value["train_w_clip_on"] else None,
            early_stopping=bool(value["train_w_early"]),
            patience=int(value["train_w_patience"]),
            augment=augment,
            seed=int(value["train_w_seed"]),
            device=value["train_w_device"],
            amp=bool(value["train_w_amp"]) and has_cuda,
        )
    except SpecError as exc:
        show_problems(exc.problems)
        return None, False
    return cfg, bool(value["train_w_keep"])


def schedule_ui(fitting: Fitting, cfg: TrainConfig) -> bool:
    """The learning rate over the run (unless fixed), the PyTorch code of the choice, and every
    problem that stops the run; returns whether training can start."""
    steps = batches_per_epoch(len(fitting.data.train_y), cfg.batch_size)
    if cfg.schedule != "fixed":
        st.plotly_chart(
            lr_figure(_lr_curve(cfg, steps), steps, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key="train_lr_curve",
        )
    st.caption(
        tr("train.hp.code", code=OPTIMIZERS[cfg.optimizer], schedule=SCHEDULES[cfg.schedule])
    )
    problems = check_limits(fitting.net, fitting.data, cfg)
    show_problems(problems)
    return not problems
