"""Train page, step 2: every hyperparameter, the learning-rate schedule plot and the size checks.

Each ``*_ui()`` draws one widget group and returns plain values. Never a page itself.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.augment import AugmentConfig
from cnnviz.device import available_devices
from cnnviz.specs import SpecError
from cnnviz.training import (
    INITS,
    OPTIMIZERS,
    SCHEDULES,
    Fitting,
    TrainConfig,
    batches_per_epoch,
    check_limits,
    lr_curve,
)
from cnnviz.viz_train import lr_figure
from pages._train_common import formatter, kept, number_text, remember
from pages._ui import CHART_CONFIG, lang, show_problems, tr

__all__ = ["hyper_ui", "schedule_ui"]

LR_CHOICES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0]
DECAY_CHOICES = [0.0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, 0.1]
L1_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]
SIGMA_CHOICES = [0.001, 0.01, 0.05, 0.1, 1.0]
CLIP_CHOICES = [0.1, 0.5, 1.0, 5.0, 10.0]
BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512]


@st.cache_data(max_entries=32, show_spinner=False)
def _lr_curve(cfg: TrainConfig, steps_per_epoch: int) -> list[float]:
    return lr_curve(cfg, steps_per_epoch)


def _optimizer_ui() -> None:
    st.selectbox(
        tr("train.hp.optimizer"),
        list(OPTIMIZERS),
        key=kept("optimizer", "adam"),
        format_func=formatter("train.optimizer."),
        help=tr("train.hp.optimizer_help"),
    )
    st.select_slider(
        tr("train.hp.lr"),
        LR_CHOICES,
        key=kept("lr", 3e-3),
        format_func=number_text,
        help=tr("train.hp.lr_help"),
    )
    if remember("optimizer") in ("momentum", "nesterov"):
        st.slider(tr("train.hp.momentum"), 0.0, 0.99, step=0.01, key=kept("momentum", 0.9))


def _schedule_ui() -> None:
    st.selectbox(
        tr("train.hp.schedule"),
        list(SCHEDULES),
        key=kept("schedule", "fixed"),
        format_func=formatter("train.schedule."),
        help=tr("train.hp.schedule_help"),
    )
    st.select_slider(
        tr("train.hp.batch_size"),
        BATCH_CHOICES,
        key=kept("batch", 64),
        help=tr("train.hp.batch_help"),
    )
    st.slider(
        tr("train.hp.epochs"), 1, 100, key=kept("epochs", 10), help=tr("train.hp.epochs_help")
    )


def _regularisation_ui() -> None:
    st.select_slider(
        tr("train.hp.weight_decay"),
        DECAY_CHOICES,
        key=kept("wd", 0.0),
        format_func=number_text,
        help=tr("train.hp.weight_decay_help"),
    )
    st.select_slider(
        tr("train.hp.l1"),
        L1_CHOICES,
        key=kept("l1", 0.0),
        format_func=number_text,
        help=tr("train.hp.l1_help"),
    )
    st.slider(
        tr("train.hp.label_smoothing"),
        0.0,
        0.3,
        step=0.05,
        key=kept("smoothing", 0.0),
        help=tr("train.hp.label_smoothing_help"),
    )


def _init_and_safety_ui() -> None:
    st.selectbox(
        tr("train.hp.init"),
        list(INITS),
        key=kept("init", "default"),
        format_func=formatter("train.init."),
        help=tr("train.hp.init_help"),
    )
    if remember("init") == "normal":
        st.select_slider(
            tr("train.hp.sigma"),
            SIGMA_CHOICES,
            key=kept("sigma", 0.01),
            format_func=number_text,
        )
    st.toggle(tr("train.hp.clip"), key=kept("clip_on", False), help=tr("train.hp.clip_help"))
    if remember("clip_on"):
        st.select_slider(
            tr("train.hp.clip_value"),
            CLIP_CHOICES,
            key=kept("clip", 1.0),
            format_func=number_text,
        )
    st.toggle(tr("train.hp.early"), key=kept("early", False), help=tr("train.hp.early_help"))
    if remember("early"):
        st.slider(tr("train.hp.patience"), 1, 10, key=kept("patience", 3))


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
            key=kept("seed", 0),
            help=tr("train.hp.seed_help"),
        )
    with cols[1]:
        key = kept("device", "auto")
        if st.session_state[key] not in devices:
            st.session_state[key] = "auto"
        st.selectbox(
            tr("train.hp.device"),
            devices,
            key=key,
            format_func=formatter("train.device."),
            help=tr("train.hp.device_help"),
        )
    has_cuda = "cuda" in devices
    with cols[2]:
        st.checkbox(
            tr("train.hp.amp"),
            key=kept("amp", False),
            disabled=not has_cuda,
            help=tr("train.hp.amp_help") if has_cuda else tr("train.hp.amp_no_cuda"),
        )
    with cols[3]:
        st.checkbox(tr("train.hp.keep"), key=kept("keep", False), help=tr("train.hp.keep_help"))
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
    # hidden widgets (momentum for Adam, sigma for default init, ...) keep their last value
    kept_value = st.session_state.get
    try:
        cfg = TrainConfig(
            epochs=int(remember("epochs")),
            batch_size=int(remember("batch")),
            optimizer=remember("optimizer"),
            lr=float(remember("lr")),
            momentum=float(kept_value("train_p_momentum", 0.9)),
            weight_decay=float(remember("wd")),
            l1=float(remember("l1")),
            schedule=remember("schedule"),
            label_smoothing=float(remember("smoothing")),
            init=remember("init"),
            init_sigma=float(kept_value("train_p_sigma", 0.01)),
            grad_clip=float(kept_value("train_p_clip", 1.0)) if remember("clip_on") else None,
            early_stopping=bool(remember("early")),
            patience=int(kept_value("train_p_patience", 3)),
            augment=augment,
            seed=int(remember("seed")),
            device=remember("device"),
            amp=bool(remember("amp")) and has_cuda,
        )
    except SpecError as exc:
        show_problems(exc.problems)
        return None, False
    return cfg, bool(remember("keep"))


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
