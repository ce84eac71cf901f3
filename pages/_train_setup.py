"""Train page, step 1: the network, the dataset (loaded and cached), augmentation, the fit of both.

Each ``*_ui()`` draws one widget group and returns plain values. Never a page itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from cnnviz.augment import AugmentConfig
from cnnviz.data import (
    DATASET_NAMES,
    REAL_DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    DataError,
    DatasetBundle,
    default_data_dir,
    load_dataset,
    note_text,
)
from cnnviz.i18n import CATALOG, t
from cnnviz.presets import DEFAULT_PRESET, PRESETS, get_preset
from cnnviz.shapes import infer
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import Fitting, fit_to_data
from pages._train_common import formatter, kept, remember, shape_text
from pages._ui import CHART_CONFIG, lang, show_problems, tr

__all__ = ["augment_ui", "data_ui", "fitting_ui", "network_ui"]

MAX_SAMPLE_CHOICES = [2000, 5000, 10000, 20000, 60000]
BUILD = "__build__"  # the network option that stands for the Build page's network


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


# ------------------------------------------------------------------------------------ network


def network_ui() -> NetSpec:
    """Choose the Build page's network or a preset; returns the chosen NetSpec."""
    built = st.session_state.get("net")
    has_built = isinstance(built, NetSpec)
    options = [BUILD, *PRESETS] if has_built else list(PRESETS)
    default = BUILD if has_built else DEFAULT_PRESET
    key = kept("network", default)
    if st.session_state[key] not in options:
        st.session_state[key] = default

    code = lang()
    build_label = ""
    if has_built:
        build_label = t(
            "train.net.from_build", code, name=built.name or t("train.net.custom", code)
        )

    def label(option: str) -> str:
        return build_label if option == BUILD else option

    st.selectbox(
        tr("train.net.label"), options, format_func=label, key=key, help=tr("train.net.help")
    )
    choice = remember("network")
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
            st.select_slider(tr("train.data.image_size"), [28, 32, 64], key=kept("size", 28))
            st.slider(
                tr("train.data.samples"),
                300,
                20000,
                step=100,
                key=kept("samples", 3000),
                help=tr("train.data.samples_help"),
            )
        with right:
            st.slider(
                tr("train.data.noise"),
                0.0,
                0.5,
                step=0.05,
                key=kept("noise", 0.1),
                help=tr("train.data.noise_help"),
            )
        cfg = dataclasses.replace(
            cfg,
            image_size=remember("size"),
            num_samples=remember("samples"),
            noise=remember("noise"),
        )
    elif name in REAL_DATASETS:
        with left:
            st.text_input(
                tr("train.data.folder"),
                key=kept("folder", default_data_dir()),
                help=tr("train.data.folder_help"),
            )
            st.select_slider(
                tr("train.data.max_samples"),
                MAX_SAMPLE_CHOICES,
                key=kept("max_samples", 10000),
                help=tr("train.data.max_samples_help"),
            )
        with right:
            st.checkbox(
                tr("train.data.download"),
                key=kept("download", False),
                help=tr("train.data.download_help"),
            )
        folder = str(remember("folder")).strip() or default_data_dir()
        cfg = dataclasses.replace(cfg, data_dir=folder, max_samples=remember("max_samples"))
    return cfg


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


def data_ui() -> tuple[DataConfig, DatasetBundle | None, tuple[Any, ...]]:
    """Choose and load the dataset: ``(config, bundle or None, cache key of the bundle)``.

    Errors are shown here and return no bundle. The config never carries the upload's bytes
    (``upload_zip``); the cache key holds their SHA-256 instead.
    """
    key = kept("dataset", "shapes")
    st.selectbox(
        tr("train.data.label"),
        list(DATASET_NAMES),
        format_func=formatter("data.name."),
        key=key,
        help=tr("train.data.help"),
    )
    name = remember("dataset")
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
            key=kept("label_noise", 0.0),
            help=tr("train.data.label_noise_help"),
        )
    with right:
        st.number_input(
            tr("train.data.train_size"),
            min_value=0,
            max_value=100000,
            step=50,
            key=kept("train_size", 0),
            help=tr("train.data.train_size_help"),
        )
    train_size = int(remember("train_size"))
    cfg = dataclasses.replace(
        cfg, label_noise=float(remember("label_noise")), train_size=train_size or None
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
            shape=shape_text(bundle.input_shape),
        )
    )
    return cfg, bundle, (cfg, digest)


# ------------------------------------------------------------------------------ augmentation


def augment_ui(bundle: DatasetBundle | None, bundle_key: tuple[Any, ...]) -> AugmentConfig:
    """Augmentation controls and a preview grid of augmented samples."""
    with st.expander(tr("train.aug.title")):
        st.toggle(tr("train.aug.enabled"), key=kept("aug_on", False), help=tr("train.aug.help"))
        cols = st.columns(4)
        with cols[0]:
            st.slider(tr("train.aug.shift"), 0, 6, key=kept("aug_shift", 2))
        with cols[1]:
            st.slider(tr("train.aug.rotation"), 0, 45, step=5, key=kept("aug_rotation", 10))
        with cols[2]:
            st.checkbox(
                tr("train.aug.flip"), key=kept("aug_flip", False), help=tr("train.aug.flip_help")
            )
        with cols[3]:
            st.slider(
                tr("train.aug.jitter"),
                0.0,
                0.5,
                step=0.05,
                key=kept("aug_jitter", 0.0),
                help=tr("train.aug.jitter_help"),
            )
        cfg = AugmentConfig(
            enabled=bool(remember("aug_on")),
            shift=int(remember("aug_shift")),
            rotation=float(remember("aug_rotation")),
            flip=bool(remember("aug_flip")),
            color_jitter=float(remember("aug_jitter")),
        )
        if bundle is not None and len(bundle.train_y):
            st.caption(tr("train.aug.preview"))
            preview = _augment_figure(bundle_key, cfg, lang(), bundle)
            st.plotly_chart(preview, width="stretch", config=CHART_CONFIG, key="train_aug_preview")
    return cfg


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
