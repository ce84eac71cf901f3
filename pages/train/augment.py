"""Train page, step 1b: data augmentation, AlexNet's recipe included, with a preview grid.

The everyday controls (shift, rotation, mirror, colour jitter), then AlexNet's three (random
crops, PCA colour, ten-crop evaluation) and a button that sets its whole recipe
(``cnnviz.data.alexnet_recipe``). The preview shows one training image and eight augmented
versions, built by ``cnnviz.viz.augmentation_preview`` with the very function training uses.
First-visit values are in ``pages.train.setup.SETUP_DEFAULTS``. Never a page itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from cnnviz.data import MAX_CROP_PADDING, AugmentConfig, DatasetBundle, alexnet_recipe
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_values

__all__ = ["augment_ui"]


@st.cache_resource(max_entries=16, show_spinner=False)
def _augment_figure(
    bundle_key: tuple[Any, ...], cfg: AugmentConfig, code: str, _bundle: DatasetBundle
) -> go.Figure:
    """One image and eight augmented versions (built once per dataset, settings and language)."""
    from cnnviz.viz import augmentation_preview

    return augmentation_preview(_bundle, dataclasses.replace(cfg, enabled=True), seed=0, lang=code)


def _use_recipe(image_size: int) -> None:
    """The "AlexNet's recipe" button's callback: every augmentation widget at the recipe."""
    recipe = alexnet_recipe(image_size)
    set_values(
        {
            "train_w_aug_on": True,
            "train_w_aug_shift": recipe.shift,
            "train_w_aug_rotation": int(recipe.rotation),
            "train_w_aug_flip": recipe.flip,
            "train_w_aug_jitter": recipe.color_jitter,
            "train_w_aug_crop": recipe.crop_padding,
            "train_w_aug_pca": recipe.pca_colour,
            "train_w_aug_tencrop": recipe.ten_crop,
        }
    )


def _everyday_ui() -> None:
    cols = st.columns(4)
    with cols[0]:
        st.slider(tr("train.aug.shift"), 0, 6, key="train_w_aug_shift", persist_state=PERSIST)
    with cols[1]:
        st.slider(
            tr("train.aug.rotation"),
            0,
            45,
            step=5,
            key="train_w_aug_rotation",
            persist_state=PERSIST,
        )
    with cols[2]:
        st.checkbox(
            tr("train.aug.flip"),
            key="train_w_aug_flip",
            persist_state=PERSIST,
            help=tr("train.aug.flip_help"),
        )
    with cols[3]:
        st.slider(
            tr("train.aug.jitter"),
            0.0,
            0.5,
            step=0.05,
            key="train_w_aug_jitter",
            persist_state=PERSIST,
            help=tr("train.aug.jitter_help"),
        )


def _alexnet_ui(image_size: int) -> None:
    st.markdown(f"**{tr('train.aug.alexnet')}**")
    st.caption(tr("train.aug.alexnet_help"))
    cols = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    with cols[0]:
        st.slider(
            tr("train.aug.crop"),
            0,
            min(8, MAX_CROP_PADDING),
            key="train_w_aug_crop",
            persist_state=PERSIST,
            help=tr("train.aug.crop_help"),
        )
    with cols[1]:
        st.slider(
            tr("train.aug.pca"),
            0.0,
            0.3,
            step=0.05,
            key="train_w_aug_pca",
            persist_state=PERSIST,
            help=tr("train.aug.pca_help"),
        )
    with cols[2]:
        st.checkbox(
            tr("train.aug.ten_crop"),
            key="train_w_aug_tencrop",
            persist_state=PERSIST,
            disabled=int(st.session_state["train_w_aug_crop"]) == 0,
            help=tr("train.aug.ten_crop_help"),
        )
    with cols[3]:
        st.button(
            tr("train.aug.recipe"),
            key="train_aug_recipe",
            on_click=_use_recipe,
            args=(image_size,),
            help=tr("train.aug.recipe_help"),
        )


def augment_ui(bundle: DatasetBundle | None, bundle_key: tuple[Any, ...]) -> AugmentConfig:
    """Augmentation controls, AlexNet's among them, and a preview grid of augmented samples."""
    with st.expander(tr("train.aug.title")):
        st.toggle(
            tr("train.aug.enabled"),
            key="train_w_aug_on",
            persist_state=PERSIST,
            help=tr("train.aug.help"),
        )
        _everyday_ui()
        _alexnet_ui(bundle.input_shape[1] if bundle is not None else 32)
        crop = int(st.session_state["train_w_aug_crop"])
        cfg = AugmentConfig(
            enabled=bool(st.session_state["train_w_aug_on"]),
            shift=int(st.session_state["train_w_aug_shift"]),
            rotation=float(st.session_state["train_w_aug_rotation"]),
            flip=bool(st.session_state["train_w_aug_flip"]),
            color_jitter=float(st.session_state["train_w_aug_jitter"]),
            crop_padding=crop,
            pca_colour=float(st.session_state["train_w_aug_pca"]),
            ten_crop=bool(st.session_state["train_w_aug_tencrop"]) and crop > 0,
        )
        if bundle is not None and len(bundle.train_y):
            st.caption(tr("train.aug.preview"))
            preview = _augment_figure(bundle_key, cfg, lang(), bundle)
            st.plotly_chart(preview, width="stretch", config=CHART_CONFIG, key="train_aug_preview")
    return cfg
