"""Train page, step 1: the network, the dataset (loaded and cached), the fit of both.

Each ``*_ui()`` draws one widget group and returns plain values. Widget keys ``train_w_<name>``
keep their values across page switches (``persist_state``); ``SETUP_DEFAULTS`` are their values on
the first visit (the network's and the data folder's depend on the session and are set where the
widget is drawn; the augmentation widgets of ``pages.train.augment`` have theirs here too). Datasets come from the server's one cache (``pages.shared.datasets``). Never a
page itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from cnnviz.data import (
    DATASET_NAMES,
    REAL_DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    DataError,
    DatasetBundle,
    default_data_dir,
    load_dataset,
    public_text,
    single_user_mode,
)
from cnnviz.i18n import CATALOG, Message, t
from cnnviz.net import (
    DEFAULT_PRESET,
    PRESETS,
    NetSpec,
    SpecError,
    get_preset,
    infer,
    shape_text,
)
from cnnviz.train import Fitting, fit_to_data
from pages.shared.charts import CHART_CONFIG
from pages.shared.datasets import dataset, upload_digest
from pages.shared.session import lang, show_problems, tr
from pages.shared.widgets import PERSIST, set_defaults
from pages.train.common import formatter

__all__ = ["SETUP_DEFAULTS", "data_ui", "fitting_ui", "network_ui"]

MAX_SAMPLE_CHOICES = [2000, 5000, 10000, 20000, 60000]
BUILD = "__build__"  # the network option that stands for the Build page's network

#: First-visit values of the setup widgets (``pages.shared.widgets.set_defaults``).
SETUP_DEFAULTS: dict[str, Any] = {
    "train_w_dataset": "shapes",
    "train_w_size": 28,
    "train_w_samples": 3000,
    "train_w_noise": 0.1,
    "train_w_max_samples": 10000,
    "train_w_download": False,
    "train_w_label_noise": 0.0,
    "train_w_train_size": 0,
    "train_w_aug_on": False,
    "train_w_aug_shift": 2,
    "train_w_aug_rotation": 10,
    "train_w_aug_flip": False,
    "train_w_aug_jitter": 0.0,
    "train_w_aug_crop": 0,
    "train_w_aug_pca": 0.0,
    "train_w_aug_tencrop": False,
}


@st.cache_resource(max_entries=8, show_spinner=False)
def _sample_figure(bundle_key: tuple[Any, ...], code: str, _bundle: DatasetBundle) -> go.Figure:
    """The dataset's sample grid (~0.5 s to build: built once per dataset and language)."""
    from cnnviz.viz import sample_grid

    return sample_grid(_bundle, 16, code)


# ------------------------------------------------------------------------------------ network


def network_ui() -> NetSpec:
    """Choose the Build page's network or a preset; returns the chosen NetSpec."""
    built = st.session_state.get("net")
    has_built = isinstance(built, NetSpec)
    options = [BUILD, *PRESETS] if has_built else list(PRESETS)
    default = BUILD if has_built else DEFAULT_PRESET
    key = "train_w_network"
    set_defaults({key: default})
    if st.session_state[key] not in options:
        st.session_state[key] = default  # the Build page's network is gone: fall back

    code = lang()
    build_label = ""
    if has_built:
        build_label = t(
            "train.net.from_build", code, name=built.name or t("train.net.custom", code)
        )

    def label(option: str) -> str:
        return build_label if option == BUILD else option

    choice = st.selectbox(
        tr("train.net.label"),
        options,
        format_func=label,
        key=key,
        persist_state=PERSIST,
        help=tr("train.net.help"),
    )
    net: NetSpec = built if choice == BUILD else get_preset(choice)
    description_key = f"preset.{choice}.description"
    if description_key in CATALOG:
        st.caption(tr(description_key))
    summary = infer(net)
    if summary.ok:
        st.caption(
            tr(
                "train.net.summary",
                layers=len(net.layers),
                params=f"{summary.total_params:,}",
                shape=shape_text(net.input_shape),
            )
        )
    return net


# --------------------------------------------------------------------------------------- data


def _source_ui(name: str, left: Any, right: Any) -> DataConfig:
    """The widgets that depend on the kind of dataset (synthetic or real; an upload has none
    here) in two columns; returns the dataset's config so far."""
    cfg = DataConfig(name=name)
    if name in SYNTHETIC_DATASETS:
        with left:
            st.select_slider(
                tr("train.data.image_size"), [28, 32, 64], key="train_w_size", persist_state=PERSIST
            )
            st.slider(
                tr("train.data.samples"),
                300,
                20000,
                step=100,
                key="train_w_samples",
                persist_state=PERSIST,
                help=tr("train.data.samples_help"),
            )
        with right:
            st.slider(
                tr("train.data.noise"),
                0.0,
                0.5,
                step=0.05,
                key="train_w_noise",
                persist_state=PERSIST,
                help=tr("train.data.noise_help"),
            )
        cfg = dataclasses.replace(
            cfg,
            image_size=st.session_state["train_w_size"],
            num_samples=st.session_state["train_w_samples"],
            noise=st.session_state["train_w_noise"],
        )
    elif name in REAL_DATASETS:
        with left:
            folder = _folder_ui()
            st.select_slider(
                tr("train.data.max_samples"),
                MAX_SAMPLE_CHOICES,
                key="train_w_max_samples",
                persist_state=PERSIST,
                help=tr("train.data.max_samples_help"),
            )
        with right:
            st.checkbox(
                tr("train.data.download"),
                key="train_w_download",
                persist_state=PERSIST,
                help=tr("train.data.download_help"),
            )
        cfg = dataclasses.replace(
            cfg, data_dir=folder, max_samples=st.session_state["train_w_max_samples"]
        )
    return cfg


def _folder_ui() -> str | None:
    """The data folder: the server's setting (``$CNNVIZ_DATA_DIR``), shown without its path;
    a box to edit it only in single-user mode. None means the server's folder."""
    if not single_user_mode():
        # A crafted session value is ignored too: the server's folder is the only one.
        st.caption(tr("train.data.folder_server"), help=tr("train.data.folder_help"))
        return None
    set_defaults({"train_w_folder": default_data_dir()})
    st.text_input(
        tr("train.data.folder"),
        key="train_w_folder",
        persist_state=PERSIST,
        help=tr("train.data.folder_help"),
    )
    return str(st.session_state["train_w_folder"]).strip() or None


def _message(message: Message, cfg: DataConfig) -> str:
    """A dataset message for this browser: server paths hidden unless in single-user mode."""
    return public_text(message, lang(), cfg.resolved_data_dir())


def _download(cfg: DataConfig) -> DatasetBundle | None:
    """Download a missing real dataset with a progress bar (then the cached loader finds it)."""
    bar = st.progress(0.0, text=tr("train.data.downloading"))

    def report(fraction: float, key: str) -> None:
        text = tr(key) if key in CATALOG else tr("train.data.downloading")
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    try:
        load_dataset(dataclasses.replace(cfg, download=True), progress=report)
        bundle = dataset(cfg)
    except DataError as exc:
        bar.empty()
        st.error(_message(exc.message, cfg), icon="⚠️")
        return None
    bar.empty()
    return bundle


def data_ui() -> tuple[DataConfig, DatasetBundle | None, tuple[Any, ...]]:
    """Choose and load the dataset: ``(config, bundle or None, cache key of the bundle)``.

    Errors are shown here and return no bundle. The config never carries the upload's bytes
    (``upload_zip``); the cache key holds their SHA-256 instead.
    """
    name = st.selectbox(
        tr("train.data.label"),
        list(DATASET_NAMES),
        format_func=formatter("data.name."),
        key="train_w_dataset",
        persist_state=PERSIST,
        help=tr("train.data.help"),
    )
    left, right = st.columns(2)
    cfg = _source_ui(name, left, right)
    raw: bytes | None = None
    if name not in SYNTHETIC_DATASETS and name not in REAL_DATASETS:
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
            key="train_w_label_noise",
            persist_state=PERSIST,
            help=tr("train.data.label_noise_help"),
        )
    with right:
        st.number_input(
            tr("train.data.train_size"),
            min_value=0,
            max_value=100000,
            step=50,
            key="train_w_train_size",
            persist_state=PERSIST,
            help=tr("train.data.train_size_help"),
        )
    train_size = int(st.session_state["train_w_train_size"])
    cfg = dataclasses.replace(
        cfg,
        label_noise=float(st.session_state["train_w_label_noise"]),
        train_size=train_size or None,
    )
    digest = upload_digest(raw) if raw is not None else ""
    try:
        with st.spinner(tr("train.data.loading")):
            bundle = dataset(cfg, raw)
    except DataError as exc:
        if exc.key == "data.error.missing_offline" and st.session_state.get("train_w_download"):
            return cfg, _download(cfg), (cfg, "")
        st.error(_message(exc.message, cfg), icon="⚠️")
        return cfg, None, ()
    for note in bundle.notes:
        st.caption(_message(note, cfg))
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
            shape=shape_text(bundle.input_shape),
        )
    )
    st.caption(_split_text(bundle))
    return cfg, bundle, (cfg, digest)


def _split_text(bundle: DatasetBundle) -> str:
    """How many of the official training split's images a run uses, and the test split's fate."""
    if bundle.test_y is None or bundle.split_size is None:
        return tr("train.data.no_test_split")
    return tr(
        "train.data.split_used",
        used=f"{bundle.used_images:,}",
        split=f"{bundle.split_size:,}",
        test=f"{len(bundle.test_y):,}",
    )


# ------------------------------------------------------------------------------------ fitting


def fitting_ui(net: NetSpec, bundle: DatasetBundle | None) -> Fitting | None:
    """Fit the network and the data to each other and explain every change (None: they cannot
    be fitted, the problems are shown; or there is no data)."""
    if bundle is None:
        return None
    try:
        fitting = fit_to_data(net, bundle)
    except SpecError as exc:
        show_problems(exc.problems)
        return None
    except DataError as exc:
        st.error(exc.text(lang()), icon="⚠️")
        return None
    for change in fitting.changes:
        st.info(
            tr(
                f"train.fit.{change}",
                net=shape_text(net.input_shape),
                data=shape_text(bundle.input_shape),
                classes=bundle.num_classes,
            ),
            icon="🔧",
        )
    return fitting
