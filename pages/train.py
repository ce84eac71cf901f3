"""Train live: choose a network, data and hyperparameters; watch the network learn; inspect it.

Training runs in a ``cnnviz.jobs.TrainingJob`` worker thread kept in ``st.session_state["train_job"]``;
Start/Pause/Resume/Stop are ``on_click`` callbacks; the live panel is a fragment that polls
``job.snapshot()`` once a second while the job is active (see ../shared/STREAMLIT.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import time
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.augment import AugmentConfig
from cnnviz.checkpoint import (
    CheckpointError,
    load_checkpoint,
    model_from_checkpoint,
    save_checkpoint,
)
from cnnviz.data import (
    DATASET_NAMES,
    REAL_DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    DataError,
    DatasetBundle,
    class_label,
    default_data_dir,
    load_dataset,
    note_text,
)
from cnnviz.device import available_devices
from cnnviz.evaluation import ImageError, decode_image
from cnnviz.i18n import CATALOG, t
from cnnviz.jobs import TrainingJob, shared_limiter
from cnnviz.presets import DEFAULT_PRESET, PRESETS, get_preset
from cnnviz.shapes import infer
from cnnviz.specs import NetSpec, Problem, SpecError
from cnnviz.training import (
    INITS,
    OPTIMIZERS,
    SCHEDULES,
    TrainConfig,
    check_limits,
    confusion_matrix_from_labels,
    evaluate,
    fit_to_data,
    image_to_input,
    lr_curve,
    misclassified,
    per_class_accuracy,
    predict_with_activations,
)
from cnnviz.viz_train import (
    activation_figure,
    confusion_figure,
    display_image,
    epoch_figure,
    feature_map_figure,
    filters_figure,
    loss_figure,
    lr_figure,
    norms_figure,
    per_class_figure,
    probability_figure,
)
from pages._ui import lang, show_problems, tr

LIVE_CONFIG = {"displaylogo": False, "displayModeBar": False}
CHART_CONFIG = {"displaylogo": False}
LR_CHOICES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0]
DECAY_CHOICES = [0.0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, 0.1]
L1_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]
SIGMA_CHOICES = [0.001, 0.01, 0.05, 0.1, 1.0]
CLIP_CHOICES = [0.1, 0.5, 1.0, 5.0, 10.0]
BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512]
MAX_SAMPLE_CHOICES = [2000, 5000, 10000, 20000, 60000]
GALLERY_SIZE = 12


# ------------------------------------------------------------------------------ small helpers


def _kept(name: str, default: Any) -> str:
    """A widget key whose value survives leaving the page (kept in ``train_p_<name>``)."""
    key = f"train_w_{name}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"train_p_{name}", default)
    return key


def _remember(name: str) -> Any:
    value = st.session_state[f"train_w_{name}"]
    st.session_state[f"train_p_{name}"] = value
    return value


def _number_text(value: float) -> str:
    return "0" if value == 0 else f"{value:g}"


def _formatter(prefix: str) -> Any:
    """``option -> catalog text of prefix + option`` in the language of this run (captured now:
    a format function may be called outside the script run)."""
    code = lang()
    return lambda option: t(f"{prefix}{option}", code)


def _class_labels(names: tuple[str, ...]) -> list[str]:
    return [class_label(name, lang()) for name in names]


def _message(key: str, **params: Any) -> str:
    """A catalog message; an unknown key (from a peer's newer code) falls back to a generic one."""
    if key in CATALOG:
        try:
            return tr(key, **params)
        except (KeyError, IndexError):
            pass
    return tr("train.error.unexpected", error=key)


@st.cache_resource(max_entries=6, show_spinner=False)
def _load_cached(cfg: DataConfig) -> DatasetBundle:
    return load_dataset(cfg)


@st.cache_resource(max_entries=3, show_spinner=False)
def _load_upload(cfg: DataConfig, digest: str, _raw: bytes) -> DatasetBundle:
    return load_dataset(dataclasses.replace(cfg, upload_zip=_raw))


@st.cache_resource(max_entries=8, show_spinner=False)
def _sample_figure(bundle_key: tuple[Any, ...], code: str, _bundle: DatasetBundle) -> go.Figure:
    """The dataset's sample grid (~0.5 s to build: built once per dataset and language)."""
    from cnnviz.viz_data import sample_grid

    return sample_grid(_bundle, 16, code)


@st.cache_resource(max_entries=16, show_spinner=False)
def _augment_figure(
    bundle_key: tuple[Any, ...], cfg: AugmentConfig, code: str, _bundle: DatasetBundle
) -> go.Figure:
    """One image and eight augmented versions (built once per dataset, settings and language)."""
    from cnnviz.viz_data import augmentation_preview

    return augmentation_preview(_bundle, dataclasses.replace(cfg, enabled=True), seed=0, lang=code)


@st.cache_data(max_entries=32, show_spinner=False)
def _lr_curve(cfg: TrainConfig, steps_per_epoch: int) -> list[float]:
    return lr_curve(cfg, steps_per_epoch)


def _session_keepalive() -> Any:
    """A check that this browser session is still connected (the job stops when it is not)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return None
        runtime, session_id = Runtime.instance(), ctx.session_id
        return lambda: runtime.is_active_session(session_id)
    except Exception:  # AppTest and bare mode have no runtime: heartbeats alone decide
        return None


# --------------------------------------------------------------------------- callbacks


def _start(net: NetSpec, data: DatasetBundle, cfg: TrainConfig, meta: dict[str, Any]) -> None:
    job = st.session_state.get("train_job")
    if job is not None and job.active:
        return  # Start twice: harmless
    try:
        job = TrainingJob(net, data, cfg, limiter=shared_limiter(), heartbeat_timeout=60.0)
    except SpecError as exc:
        st.session_state["train_start_problems"] = exc.problems
        return
    job.keepalive = _session_keepalive()
    st.session_state["train_counter"] = st.session_state.get("train_counter", 0) + 1
    st.session_state["train_job"] = job
    st.session_state["train_job_meta"] = {
        **meta,
        "number": st.session_state["train_counter"],
        "recorded": False,
    }
    st.session_state.pop("train_start_problems", None)
    st.session_state.pop("train_analysis", None)
    job.start()


def _pause() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.pause()


def _resume() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.heartbeat()
        job.resume()


def _stop() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.stop()  # Stop twice: harmless


# ------------------------------------------------------------------------------ sections


def network_section() -> NetSpec:
    """Choose the Build page's network or a preset; returns the chosen NetSpec."""
    options: list[str] = []
    built = st.session_state.get("net")
    if isinstance(built, NetSpec):
        options.append("__build__")
    options.extend(PRESETS)
    default = "__build__" if "__build__" in options else DEFAULT_PRESET
    key = _kept("network", default)
    if st.session_state[key] not in options:
        st.session_state[key] = default

    code = lang()
    build_label = ""
    if isinstance(built, NetSpec):
        build_label = t(
            "train.net.from_build", code, name=built.name or t("train.net.custom", code)
        )

    def label(option: str) -> str:
        return build_label if option == "__build__" else option

    st.selectbox(
        tr("train.net.label"), options, format_func=label, key=key, help=tr("train.net.help")
    )
    choice = _remember("network")
    net = built if choice == "__build__" else get_preset(choice)
    description_key = f"preset.{choice}.description"
    if description_key in CATALOG:
        st.caption(tr(description_key))
    summary = infer(net)  # type: ignore[arg-type]
    if summary.ok:
        st.caption(
            tr(
                "train.net.summary",
                layers=len(net.layers),
                params=f"{summary.total_params:,}",  # type: ignore[union-attr]
                shape="x".join(map(str, net.input_shape)),
            )  # type: ignore[union-attr]
        )
    return net  # type: ignore[return-value]


def data_section() -> tuple[DataConfig, DatasetBundle | None, tuple[Any, ...]]:
    """Choose and load the dataset; errors are shown here and return no bundle."""
    key = _kept("dataset", "shapes")
    st.selectbox(
        tr("train.data.label"),
        list(DATASET_NAMES),
        format_func=_formatter("data.name."),
        key=key,
        help=tr("train.data.help"),
    )
    name = _remember("dataset")
    left, right = st.columns(2)
    cfg = DataConfig(name=name)
    raw: bytes | None = None
    if name in SYNTHETIC_DATASETS:
        with left:
            st.select_slider(tr("train.data.image_size"), [28, 32, 64], key=_kept("size", 28))
            st.slider(
                tr("train.data.samples"),
                300,
                20000,
                step=100,
                key=_kept("samples", 3000),
                help=tr("train.data.samples_help"),
            )
        with right:
            st.slider(
                tr("train.data.noise"),
                0.0,
                0.5,
                step=0.05,
                key=_kept("noise", 0.1),
                help=tr("train.data.noise_help"),
            )
        cfg = dataclasses.replace(
            cfg,
            image_size=_remember("size"),
            num_samples=_remember("samples"),
            noise=_remember("noise"),
        )
    elif name in REAL_DATASETS:
        with left:
            st.text_input(
                tr("train.data.folder"),
                key=_kept("folder", default_data_dir()),
                help=tr("train.data.folder_help"),
            )
            st.select_slider(
                tr("train.data.max_samples"),
                MAX_SAMPLE_CHOICES,
                key=_kept("max_samples", 10000),
                help=tr("train.data.max_samples_help"),
            )
        with right:
            st.checkbox(
                tr("train.data.download"),
                key=_kept("download", False),
                help=tr("train.data.download_help"),
            )
        folder = str(_remember("folder")).strip() or default_data_dir()
        cfg = dataclasses.replace(
            cfg,
            data_dir=folder,
            max_samples=_remember("max_samples"),
        )
    else:
        upload = st.file_uploader(
            tr("train.data.upload"),
            type=["zip"],
            key="train_w_upload",
            help=tr("train.data.upload_help"),
        )
        if upload is None:
            st.info(tr("train.data.upload_wait"))
            return cfg, None, ()
        raw = upload.getvalue()
    with left:
        st.slider(
            tr("train.data.label_noise"),
            0.0,
            0.5,
            step=0.05,
            key=_kept("label_noise", 0.0),
            help=tr("train.data.label_noise_help"),
        )
    with right:
        st.number_input(
            tr("train.data.train_size"),
            min_value=0,
            max_value=100000,
            step=50,
            key=_kept("train_size", 0),
            help=tr("train.data.train_size_help"),
        )
    train_size = int(_remember("train_size"))
    cfg = dataclasses.replace(
        cfg,
        label_noise=float(_remember("label_noise")),
        train_size=train_size or None,
    )
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
    try:
        with st.spinner(tr("train.data.loading")):
            bundle = _load_upload(cfg, digest, raw) if raw is not None else _load_cached(cfg)
    except DataError as exc:
        if exc.key == "data.error.missing_offline" and st.session_state.get("train_p_download"):
            return cfg, _download(cfg), (cfg, "")
        st.error(exc.text(lang()), icon="⚠️")
        return cfg, None, ()
    for note in bundle.notes:
        st.caption(note_text(note, lang()))
    with st.expander(tr("train.data.preview")):
        st.plotly_chart(
            _sample_figure((cfg, digest), lang(), bundle),
            width="stretch",
            config=CHART_CONFIG,
            key="train_samples",
        )
    st.caption(
        tr(
            "train.data.summary",
            train=len(bundle.train_y),
            val=len(bundle.val_y),
            classes=bundle.num_classes,
            shape="x".join(map(str, bundle.input_shape)),
        )
    )
    return cfg, bundle, (cfg, digest)


def _download(cfg: DataConfig) -> DatasetBundle | None:
    """Download a missing real dataset with a progress bar (then the cached loader finds it)."""
    bar = st.progress(0.0, text=tr("train.data.downloading"))

    def report(fraction: float, key: str) -> None:
        text = tr(key) if key in CATALOG else tr("train.data.downloading")
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    try:
        load_dataset(dataclasses.replace(cfg, download=True), progress=report)
        bundle = _load_cached(cfg)
    except DataError as exc:
        bar.empty()
        st.error(exc.text(lang()), icon="⚠️")
        return None
    bar.empty()
    return bundle


def augment_section(bundle: DatasetBundle | None, bundle_key: tuple[Any, ...]) -> AugmentConfig:
    """Augmentation controls and a preview grid of augmented samples."""
    with st.expander(tr("train.aug.title")):
        st.toggle(tr("train.aug.enabled"), key=_kept("aug_on", False), help=tr("train.aug.help"))
        cols = st.columns(4)
        with cols[0]:
            st.slider(tr("train.aug.shift"), 0, 6, key=_kept("aug_shift", 2))
        with cols[1]:
            st.slider(tr("train.aug.rotation"), 0, 45, step=5, key=_kept("aug_rotation", 10))
        with cols[2]:
            st.checkbox(
                tr("train.aug.flip"), key=_kept("aug_flip", False), help=tr("train.aug.flip_help")
            )
        with cols[3]:
            st.slider(
                tr("train.aug.jitter"),
                0.0,
                0.5,
                step=0.05,
                key=_kept("aug_jitter", 0.0),
                help=tr("train.aug.jitter_help"),
            )
        cfg = AugmentConfig(
            enabled=bool(_remember("aug_on")),
            shift=int(_remember("aug_shift")),
            rotation=float(_remember("aug_rotation")),
            flip=bool(_remember("aug_flip")),
            color_jitter=float(_remember("aug_jitter")),
        )
        if bundle is not None and len(bundle.train_y):
            st.caption(tr("train.aug.preview"))
            preview = _augment_figure(bundle_key, cfg, lang(), bundle)
            st.plotly_chart(preview, width="stretch", config=CHART_CONFIG, key="train_aug_preview")
    return cfg


def hyper_section(augment: AugmentConfig) -> tuple[TrainConfig | None, bool]:
    """Every hyperparameter; returns the TrainConfig (None if invalid) and "keep weights"."""
    cols = st.columns(4)
    with cols[0]:
        st.selectbox(
            tr("train.hp.optimizer"),
            list(OPTIMIZERS),
            key=_kept("optimizer", "adam"),
            format_func=_formatter("train.optimizer."),
            help=tr("train.hp.optimizer_help"),
        )
        st.select_slider(
            tr("train.hp.lr"),
            LR_CHOICES,
            key=_kept("lr", 3e-3),
            format_func=_number_text,
            help=tr("train.hp.lr_help"),
        )
        optimizer = _remember("optimizer")
        if optimizer in ("momentum", "nesterov"):
            st.slider(tr("train.hp.momentum"), 0.0, 0.99, step=0.01, key=_kept("momentum", 0.9))
    with cols[1]:
        st.selectbox(
            tr("train.hp.schedule"),
            list(SCHEDULES),
            key=_kept("schedule", "fixed"),
            format_func=_formatter("train.schedule."),
            help=tr("train.hp.schedule_help"),
        )
        st.select_slider(
            tr("train.hp.batch_size"),
            BATCH_CHOICES,
            key=_kept("batch", 64),
            help=tr("train.hp.batch_help"),
        )
        st.slider(
            tr("train.hp.epochs"), 1, 100, key=_kept("epochs", 10), help=tr("train.hp.epochs_help")
        )
    with cols[2]:
        st.select_slider(
            tr("train.hp.weight_decay"),
            DECAY_CHOICES,
            key=_kept("wd", 0.0),
            format_func=_number_text,
            help=tr("train.hp.weight_decay_help"),
        )
        st.select_slider(
            tr("train.hp.l1"),
            L1_CHOICES,
            key=_kept("l1", 0.0),
            format_func=_number_text,
            help=tr("train.hp.l1_help"),
        )
        st.slider(
            tr("train.hp.label_smoothing"),
            0.0,
            0.3,
            step=0.05,
            key=_kept("smoothing", 0.0),
            help=tr("train.hp.label_smoothing_help"),
        )
    with cols[3]:
        st.selectbox(
            tr("train.hp.init"),
            list(INITS),
            key=_kept("init", "default"),
            format_func=_formatter("train.init."),
            help=tr("train.hp.init_help"),
        )
        if _remember("init") == "normal":
            st.select_slider(
                tr("train.hp.sigma"),
                SIGMA_CHOICES,
                key=_kept("sigma", 0.01),
                format_func=_number_text,
            )
        st.toggle(tr("train.hp.clip"), key=_kept("clip_on", False), help=tr("train.hp.clip_help"))
        if _remember("clip_on"):
            st.select_slider(
                tr("train.hp.clip_value"),
                CLIP_CHOICES,
                key=_kept("clip", 1.0),
                format_func=_number_text,
            )
        st.toggle(tr("train.hp.early"), key=_kept("early", False), help=tr("train.hp.early_help"))
        if _remember("early"):
            st.slider(tr("train.hp.patience"), 1, 10, key=_kept("patience", 3))
    cols = st.columns(4)
    devices = ["auto", *available_devices()]
    with cols[0]:
        st.number_input(
            tr("train.hp.seed"),
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            key=_kept("seed", 0),
            help=tr("train.hp.seed_help"),
        )
    with cols[1]:
        key = _kept("device", "auto")
        if st.session_state[key] not in devices:
            st.session_state[key] = "auto"
        st.selectbox(
            tr("train.hp.device"),
            devices,
            key=key,
            format_func=_formatter("train.device."),
            help=tr("train.hp.device_help"),
        )
    with cols[2]:
        has_cuda = "cuda" in devices
        st.checkbox(
            tr("train.hp.amp"),
            key=_kept("amp", False),
            disabled=not has_cuda,
            help=tr("train.hp.amp_help") if has_cuda else tr("train.hp.amp_no_cuda"),
        )
    with cols[3]:
        st.checkbox(tr("train.hp.keep"), key=_kept("keep", False), help=tr("train.hp.keep_help"))
    try:
        cfg = TrainConfig(
            epochs=int(_remember("epochs")),
            batch_size=int(_remember("batch")),
            optimizer=optimizer,
            lr=float(_remember("lr")),
            momentum=float(st.session_state.get("train_p_momentum", 0.9)),
            weight_decay=float(_remember("wd")),
            l1=float(_remember("l1")),
            schedule=_remember("schedule"),
            label_smoothing=float(_remember("smoothing")),
            init=_remember("init"),
            init_sigma=float(st.session_state.get("train_p_sigma", 0.01)),
            grad_clip=float(st.session_state.get("train_p_clip", 1.0))
            if _remember("clip_on")
            else None,
            early_stopping=bool(_remember("early")),
            patience=int(st.session_state.get("train_p_patience", 3)),
            augment=augment,
            seed=int(_remember("seed")),
            device=_remember("device"),
            amp=bool(_remember("amp")) and has_cuda,
        )
    except SpecError as exc:
        show_problems(exc.problems)
        return None, False
    return cfg, bool(_remember("keep"))


def controls(ready: bool, start_args: tuple[Any, ...] | None) -> None:
    """Start / Pause / Resume / Stop with on_click callbacks."""
    job: TrainingJob | None = st.session_state.get("train_job")
    status = job.status if job is not None else "new"
    active = job is not None and job.active
    cols = st.columns([1, 1, 1, 1, 3])
    cols[0].button(
        tr("train.start"),
        type="primary",
        on_click=_start,
        args=start_args or (),
        disabled=active or not ready or start_args is None,
        width="stretch",
        key="train_btn_start",
    )
    cols[1].button(
        tr("train.pause"),
        on_click=_pause,
        disabled=status != "running",
        width="stretch",
        key="train_btn_pause",
    )
    cols[2].button(
        tr("train.resume"),
        on_click=_resume,
        disabled=status != "paused",
        width="stretch",
        key="train_btn_resume",
    )
    cols[3].button(
        tr("train.stop"),
        on_click=_stop,
        disabled=status not in ("queued", "running", "paused"),
        width="stretch",
        key="train_btn_stop",
    )
    problems: list[Problem] | None = st.session_state.get("train_start_problems")
    if problems:
        show_problems(problems)


def _eta_text(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    if seconds < 90:
        return tr("train.eta_seconds", seconds=max(1, round(seconds)))
    return tr("train.eta_minutes", minutes=round(seconds / 60, 1))


def _status_block(job: TrainingJob) -> None:
    snap = job.snapshot()
    cfg = job.cfg
    status_text = tr(f"train.status.{snap.status}")
    if snap.status == "queued":
        st.info(tr("train.queued", position=snap.queue_position or 1), icon="⏳")
    elif snap.status == "paused":
        st.warning(tr("train.paused_note"), icon="⏸️")
    progress_text = tr(
        "train.progress",
        status=status_text,
        epoch=snap.epoch,
        epochs=cfg.epochs,
        step=snap.step,
        total=snap.total_batches or "?",
        eta=_eta_text(snap.eta_seconds),
    )
    st.progress(min(1.0, max(0.0, snap.progress)), text=progress_text)
    if snap.device_label:
        st.caption(tr("train.device_in_use", device=snap.device_label))
    if snap.diverged is not None:
        loss = "NaN" if not math.isfinite(snap.diverged.loss) else f"{snap.diverged.loss:.3g}"
        st.error(_message(snap.diverged.message_key, loss=loss, lr=_number_text(cfg.lr)), icon="💥")
    if snap.status == "failed" and snap.error_key:
        st.error(_message(snap.error_key, **snap.error_params), icon="⚠️")
    if snap.finished is not None and snap.finished.reason != "diverged":
        finished = snap.finished
        params = {"seconds": f"{finished.seconds:.1f}", "best": finished.best_epoch or "-"}
        if job.stop_reason == "heartbeat" and finished.reason == "stopped":
            st.info(tr("train.finished.abandoned", **params))
        else:
            st.success(tr(f"train.finished.{finished.reason}", **params), icon="✅")


def live_panel(job: TrainingJob) -> None:
    """Metrics, curves, feature maps, filters and gradient norms; redrawn every second."""
    job.heartbeat()
    _status_block(job)
    snap = job.snapshot()
    last = snap.epochs[-1] if snap.epochs else None
    cols = st.columns(5)
    cols[0].metric(tr("train.metric.epoch"), f"{snap.epoch}/{job.cfg.epochs}")
    current_loss = f"{snap.batches[-1, 2]:.4f}" if len(snap.batches) else "-"
    cols[1].metric(tr("train.metric.loss"), current_loss)
    cols[2].metric(tr("train.metric.val_acc"), f"{100 * last.val_acc:.1f}%" if last else "-")
    cols[3].metric(tr("train.metric.speed"), f"{last.images_per_second:,.0f}" if last else "-")
    cols[4].metric(tr("train.metric.epoch_time"), f"{last.seconds:.2f} s" if last else "-")
    if len(snap.batches):
        st.plotly_chart(
            loss_figure(snap.batches, lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_loss",
        )
    if snap.epochs:
        left, right = st.columns(2)
        left.plotly_chart(
            epoch_figure(snap.epochs, "loss", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_epoch_loss",
        )
        right.plotly_chart(
            epoch_figure(snap.epochs, "acc", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_epoch_acc",
        )
    snapshot = snap.snapshot
    if snapshot is not None:
        st.subheader(tr("train.maps.title"))
        st.caption(tr("train.maps.caption", step=snapshot.step, epoch=snapshot.epoch))
        figures = []
        if snapshot.filters is not None:
            figures.append(("filters", filters_figure(snapshot.filters, lang())))
        figures.extend(
            (f"map{i}", feature_map_figure(name, maps, lang()))
            for i, (name, maps) in enumerate(snapshot.feature_maps)
        )
        for row in range(0, len(figures), 2):
            cols = st.columns(2)
            for col, (name, fig) in zip(cols, figures[row : row + 2], strict=False):
                col.plotly_chart(fig, width="stretch", config=LIVE_CONFIG, key=f"train_live_{name}")
    if snap.epochs:
        st.plotly_chart(
            norms_figure(snap.epochs, "grad", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_grads",
        )
        st.caption(tr("train.grads.caption"))


def record_run(job: TrainingJob) -> None:
    """Append a finished run to ``st.session_state["runs"]`` once (the lab's run history)."""
    meta = st.session_state.get("train_job_meta") or {}
    finished = job.finished
    if meta.get("recorded") or finished is None:
        return
    cfg = job.cfg
    state = None
    if meta.get("keep_weights") and job.model is not None:
        state = {k: v.detach().to("cpu").clone() for k, v in job.model.state_dict().items()}
    name = tr(
        "train.run_name",
        number=meta.get("number", 1),
        net=job.net.name or tr("train.net.custom"),
        optimizer=cfg.optimizer,
        lr=_number_text(cfg.lr),
    )
    st.session_state.setdefault("runs", []).append(
        {
            "name": name,
            "net": job.net,
            "data_cfg": meta.get("data_cfg"),
            "cfg": cfg,
            "epochs": job.epochs,
            "finished": finished,
            "created": time.time(),
            "model_state": state,
        }
    )
    meta["recorded"] = True


def _analysis(job: TrainingJob) -> dict[str, Any]:
    """Confusion matrix, per-class accuracy and mistakes of the finished model (computed once)."""
    cached = st.session_state.get("train_analysis")
    if cached is not None and cached.get("job") is job:
        return cached
    data = job.data
    _, _, probs = evaluate(job.model, data.val_x, data.val_y)  # type: ignore[arg-type]
    predicted = probs.argmax(axis=1)
    matrix = confusion_matrix_from_labels(data.val_y.numpy(), predicted, data.num_classes)
    result = {
        "job": job,
        "matrix": matrix,
        "per_class": per_class_accuracy(matrix),
        "wrong": misclassified(job.model, data.val_x, data.val_y, k=GALLERY_SIZE),  # type: ignore[arg-type]
        "checkpoint": None,
    }
    st.session_state["train_analysis"] = result
    return result


def after_training(job: TrainingJob) -> None:
    """Confusion matrix, per-class accuracy, misclassified gallery, checkpoint download."""
    if job.model is None or not job.epochs or job.finished is None:
        return
    if job.finished.reason == "diverged":
        return
    st.header(tr("train.after.title"))
    analysis = _analysis(job)
    labels = _class_labels(job.data.class_names)
    left, right = st.columns(2)
    left.plotly_chart(
        confusion_figure(analysis["matrix"], labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_confusion",
    )
    right.plotly_chart(
        per_class_figure(analysis["per_class"], labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_per_class",
    )
    st.caption(tr("train.after.confusion_caption"))
    st.subheader(tr("train.gallery.title"))
    wrong = analysis["wrong"]
    if not wrong:
        st.success(tr("train.gallery.none"))
    per_row = 6
    for row in range(0, len(wrong), per_row):
        cols = st.columns(per_row)
        for col, item in zip(cols, wrong[row : row + per_row], strict=False):
            image = display_image(job.data.val_x[item.index].numpy(), job.data.mean, job.data.std)
            col.image(image, width=96, clamp=True)
            col.caption(tr("train.gallery.true", label=labels[item.true_class]))
            col.caption(" · ".join(f"{labels[c]} {100 * p:.0f}%" for c, p in item.top3))
    st.download_button(
        tr("train.checkpoint.download"),
        data=_checkpoint_bytes(job, analysis),
        file_name=f"cnnviz-{job.net.name or 'network'}.zip",
        mime="application/zip",
        key="train_ckpt_download",
        help=tr("train.checkpoint.download_help"),
    )


def _checkpoint_bytes(job: TrainingJob, analysis: dict[str, Any]) -> bytes:
    if analysis.get("checkpoint") is None:
        analysis["checkpoint"] = save_checkpoint(
            job.model,  # type: ignore[arg-type]
            job.net,
            class_names=job.data.class_names,
            mean=job.data.mean,
            std=job.data.std,
            dataset=job.data.name,
        )
    return analysis["checkpoint"]


def load_section() -> None:
    """Upload a checkpoint; it becomes a model for "try it yourself"."""
    upload = st.file_uploader(
        tr("train.checkpoint.upload"),
        type=["zip"],
        key="train_w_ckpt",
        help=tr("train.checkpoint.upload_help"),
    )
    if upload is None:
        return
    loaded = st.session_state.get("train_loaded")
    if loaded is not None and loaded.get("file_id") == upload.file_id:
        st.success(tr("train.checkpoint.loaded", name=loaded["name"]))
        return
    try:
        checkpoint = load_checkpoint(upload.getvalue())
        model = model_from_checkpoint(checkpoint)
    except CheckpointError as exc:
        st.error(exc.text(lang()), icon="⚠️")
        return
    name = checkpoint.net.name or upload.name
    st.session_state["train_loaded"] = {
        "file_id": upload.file_id,
        "name": name,
        "model": model,
        "checkpoint": checkpoint,
    }
    st.success(tr("train.checkpoint.loaded", name=name))


def try_it_yourself(job: TrainingJob | None) -> None:
    """Draw a digit or upload a picture; see the prediction and every layer's output."""
    sources: dict[str, dict[str, Any]] = {}
    if job is not None and job.model is not None and job.epochs and job.finished is not None:
        data = job.data
        sources["job"] = {
            "model": job.model,
            "net": job.net,
            "classes": data.class_names,
            "mean": data.mean,
            "std": data.std,
        }
    loaded = st.session_state.get("train_loaded")
    if loaded is not None:
        ckpt = loaded["checkpoint"]
        classes = ckpt.class_names or tuple(str(i) for i in range(infer(ckpt.net).output_shape[0]))
        channels = ckpt.net.input_shape[0]
        sources["loaded"] = {
            "model": loaded["model"],
            "net": ckpt.net,
            "classes": classes,
            "mean": ckpt.mean or (0.5,) * channels,
            "std": ckpt.std or (0.5,) * channels,
        }
    st.header(tr("train.try.title"))
    if not sources:
        st.info(tr("train.try.need_model"))
        return
    choice = "job"
    if len(sources) > 1:
        choice = st.radio(
            tr("train.try.which"),
            list(sources),
            horizontal=True,
            format_func=_formatter("train.try.source."),
            key="train_w_try_src",
        )
    else:
        choice = next(iter(sources))
    source = sources[choice]
    net: NetSpec = source["net"]
    draw_tab, upload_tab = st.tabs([tr("train.try.draw"), tr("train.try.upload")])
    image: np.ndarray | None = None
    drawn = False
    with draw_tab:
        st.caption(tr("train.try.draw_help"))
        st.space("medium")  # room for the canvas toolbar, which floats above the canvas
        try:
            from streamlit_drawable_canvas import st_canvas

            result = st_canvas(
                stroke_width=18,
                stroke_color="#FFFFFF",
                background_color="#000000",
                height=280,
                width=280,
                drawing_mode="freedraw",
                return_image_data=True,
                key="train_canvas",
            )
            data = result.image_data
            if data is not None and np.asarray(data)[..., :3].max() > 0:
                image, drawn = np.asarray(data), True
        except Exception:  # the canvas component needs a browser session
            st.caption(tr("train.try.canvas_unavailable"))
    with upload_tab:
        picture = st.file_uploader(
            tr("train.try.upload_label"),
            type=["png", "jpg", "jpeg", "bmp", "gif"],
            key="train_w_picture",
        )
        if picture is not None:
            try:
                image, drawn = decode_image(picture.getvalue()), False
            except ImageError as exc:
                st.error(tr(exc.key), icon="⚠️")
    if image is None:
        return
    x = image_to_input(
        image,
        net.input_shape,
        source["mean"],
        source["std"],
        center_drawing=drawn and net.input_shape[0] == 1,
    )
    prediction = predict_with_activations(source["model"], x)
    labels = _class_labels(tuple(source["classes"]))
    left, right = st.columns([1, 2])
    with left:
        st.image(
            display_image(x.numpy(), source["mean"], source["std"]),
            width=160,
            clamp=True,
            caption=tr("train.try.as_seen", shape="x".join(map(str, net.input_shape))),
        )
        best = int(np.argmax(prediction.probabilities))
        st.metric(tr("train.try.prediction"), labels[best])
        st.caption(
            tr("train.try.confidence", percent=f"{100 * prediction.probabilities[best]:.1f}")
        )
    right.plotly_chart(
        probability_figure(prediction.probabilities, labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_try_probs",
    )
    with st.expander(tr("train.try.layers"), expanded=True):
        activations = prediction.activations
        totals = [math.prod(shape) for shape in prediction.shapes]
        for row in range(0, len(activations), 2):
            cols = st.columns(2)
            pairs = zip(activations[row : row + 2], totals[row : row + 2], strict=False)
            for col, ((name, value), total) in zip(cols, pairs, strict=False):
                col.plotly_chart(
                    activation_figure(name, value, lang(), total=total),
                    width="stretch",
                    config=CHART_CONFIG,
                    key=f"train_try_act_{name}",
                )


# ----------------------------------------------------------------------------------- page

st.title(tr("train.title"))
st.caption(tr("train.intro"))

job: TrainingJob | None = st.session_state.get("train_job")
if job is not None and job.active:
    job.heartbeat()

st.header(tr("train.setup.title"))
net_col, data_col = st.columns([2, 3])
with net_col:
    st.subheader(tr("train.net.title"))
    net = network_section()
with data_col:
    st.subheader(tr("train.data.title"))
    data_cfg, bundle, bundle_key = data_section()
augment = augment_section(bundle, bundle_key)

fitting = None
if bundle is not None:
    try:
        fitting = fit_to_data(net, bundle)
    except (SpecError, DataError) as exc:
        if isinstance(exc, SpecError):
            show_problems(exc.problems)
        else:
            st.error(exc.text(lang()), icon="⚠️")
    if fitting is not None:
        for change in fitting.changes:
            st.info(
                tr(
                    f"train.fit.{change}",
                    net="x".join(map(str, net.input_shape)),
                    data="x".join(map(str, bundle.input_shape)),
                    classes=bundle.num_classes,
                ),
                icon="🔧",
            )

st.header(tr("train.hp.title"))
cfg, keep_weights = hyper_section(augment)

ready = False
start_args = None
if fitting is not None and cfg is not None:
    steps = max(
        1,
        math.ceil(
            len(fitting.data.train_y) / min(cfg.batch_size, max(1, len(fitting.data.train_y)))
        ),
    )
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
    if problems:
        show_problems(problems)
    else:
        ready = True
        meta = {"data_cfg": data_cfg, "keep_weights": keep_weights}
        start_args = (fitting.net, fitting.data, cfg, meta)

st.header(tr("train.live.title"))
controls(ready, start_args)
job = st.session_state.get("train_job")
if job is None:
    st.info(tr("train.live.empty"))
else:
    active = job.active

    @st.fragment(run_every=1.0 if active else None)
    def _live() -> None:
        current: TrainingJob | None = st.session_state.get("train_job")
        if current is None:
            return
        live_panel(current)
        if active and not current.active:
            st.rerun(scope="app")  # the run ended: redraw controls and the analysis

    _live()
    if not job.active:
        record_run(job)
        after_training(job)

st.divider()
load_section()
try_it_yourself(st.session_state.get("train_job"))
