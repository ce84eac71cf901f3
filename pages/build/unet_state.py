"""Build page, U-Net view: the U-Net in session state, its settings widgets and callbacks. Never a
page.

The view is on when the famous-network picker (``build_preset``) holds
``pages.shared.unet_handoff.UNET_CHOICE``. Session keys (none of them is ``"net"``, the CNN the
Train page trains: a U-Net is not a classifier): ``build_unet`` (the :class:`UNetSpec` shown, the
truth), ``build_unet_written`` (the spec this view last wrote: when ``build_unet`` differs, a
callback, a share link or /beyond set it, and the widgets are reseeded from it),
``build_unet_good`` (the last spec whose sizes fit; its table stays visible while the sizes do not
fit). Widget keys ``build_unet_{size,in,classes,depth,base,skips,bn}`` mirror ``build_unet`` and
are seeded from it whenever they appear (not persisted). First visit: /beyond's segmentation
network (``SegmentConfig().net``), so the defaults are /beyond's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from cnnviz.data import MASK_CLASSES
from cnnviz.net import (
    DEFAULT_PRESET,
    MAX_UNET_DEPTH,
    PRESETS,
    SpecError,
    UNetSpec,
    unet_problems,
)
from cnnviz.train import SegmentConfig
from pages.shared.session import lang, tr
from pages.shared.unet_handoff import BUILD_PRESET, BUILD_UNET, UNET_CHOICE
from pages.shared.widgets import set_defaults, set_values

__all__ = [
    "WRITTEN",
    "default_unet",
    "last_good",
    "leave_unet",
    "on_propose",
    "on_unet_reset",
    "unet_controls",
    "unet_mode",
]

WRITTEN = "build_unet_written"
GOOD = "build_unet_good"
_FIELDS = {
    "size": "image_size",
    "in": "in_channels",
    "classes": "num_classes",
    "depth": "depth",
    "base": "base_channels",
    "skips": "skips",
    "bn": "batch_norm",
}
_MAX_SIZE = 256
_MAX_BASE = 64
_MAX_CLASSES = 64


def default_unet() -> UNetSpec:
    """/beyond's segmentation network at its default settings."""
    return SegmentConfig().net


def unet_mode() -> bool:
    """Whether the picker shows the U-Net view."""
    return st.session_state.get(BUILD_PRESET) == UNET_CHOICE


def _current() -> UNetSpec:
    spec = st.session_state.get(BUILD_UNET)
    return spec if isinstance(spec, UNetSpec) else default_unet()


def last_good() -> UNetSpec | None:
    """The last U-Net shown whose sizes fit (None before the first)."""
    good = st.session_state.get(GOOD)
    return good if isinstance(good, UNetSpec) else None


def _widget_values(spec: UNetSpec) -> dict[str, Any]:
    return {f"build_unet_{key}": getattr(spec, field) for key, field in _FIELDS.items()}


def on_propose(size: int) -> None:
    """A proposed input size was clicked: use it."""
    st.session_state[BUILD_UNET] = replace(_current(), image_size=size)


def on_unet_reset() -> None:
    """ "Load this network" with the U-Net picked: back to /beyond's default U-Net."""
    st.session_state[BUILD_UNET] = default_unet()


def leave_unet() -> None:
    """Scratch from the U-Net view: the picker goes back to the network last loaded."""
    name = st.session_state.get("build_meta", {}).get("name")
    st.session_state[BUILD_PRESET] = name if name in PRESETS else DEFAULT_PRESET


def unet_controls(size_column: Any) -> UNetSpec:
    """The U-Net's settings (input size in ``size_column``, the rest in one row); returns the
    spec they give and keeps it. A value the spec refuses (a browser is never trusted) is shown
    as an error and the last spec is kept."""
    spec = _current()
    if spec != st.session_state.get(WRITTEN):
        set_values(_widget_values(spec))  # set by a callback, a link or /beyond
    else:
        set_defaults(_widget_values(spec))
    with size_column:
        size = st.number_input(
            tr("build.unet.size"),
            min_value=2,
            max_value=_MAX_SIZE,
            step=1,
            key="build_unet_size",
            help=tr("build.unet.size_help"),
        )
    cols = st.columns([0.9, 0.9, 1.2, 1, 1.35, 1.1], vertical_alignment="bottom")
    channel_options = sorted({1, 3, spec.in_channels})
    in_channels = cols[0].selectbox(tr("build.unet.channels"), channel_options, key="build_unet_in")
    classes = cols[1].number_input(
        tr("build.unet.classes"),
        min_value=2,
        max_value=_MAX_CLASSES,
        step=1,
        key="build_unet_classes",
        help=tr("build.unet.classes_help", count=len(MASK_CLASSES)),
    )
    depth = cols[2].number_input(
        tr("build.unet.depth"),
        min_value=1,
        max_value=MAX_UNET_DEPTH,
        step=1,
        key="build_unet_depth",
    )
    base = cols[3].number_input(
        tr("build.unet.base"),
        min_value=1,
        max_value=_MAX_BASE,
        step=1,
        key="build_unet_base",
        help=tr("build.unet.base_help"),
    )
    skips = cols[4].toggle(tr("build.unet.skips"), key="build_unet_skips")
    batch_norm = cols[5].toggle(tr("build.unet.bn"), key="build_unet_bn")
    try:
        new = UNetSpec(
            in_channels=int(in_channels),
            num_classes=int(classes),
            image_size=int(size),
            base_channels=int(base),
            depth=int(depth),
            skips=bool(skips),
            batch_norm=bool(batch_norm),
        )
    except (SpecError, TypeError, ValueError) as error:
        st.error(tr("build.unet.bad_setting"), icon="⚠️")
        for problem in getattr(error, "problems", []):
            st.error(problem.text(lang()), icon="⚠️")
        new = spec
    st.session_state[BUILD_UNET] = new
    st.session_state[WRITTEN] = new
    if not unet_problems(new):
        st.session_state[GOOD] = new
    return new
