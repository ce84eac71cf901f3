"""Pooling stepper: a MaxPool2d/AvgPool2d layer sent by the Build page (``stepper_request``).

Never a page. ``take_request`` hands a Conv2d request to the convolution stepper, checks a pooling
one with ``cnnviz.lessons.parse_stepper_request`` (which crops its feature map to what the stepper
can show), stores it as ``pool_request`` and sets the widgets to the layer's settings;
``show_request`` says where the values come from, or that the last request could not be opened.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import (
    PoolSettings,
    StepperRequest,
    parse_stepper_request,
    pool_request_settings,
    request_target,
)
from cnnviz.net import SpecError
from pages.pool.settings import MAX_CHANNELS, MAX_SIZE
from pages.shared.session import tr

__all__ = ["show_request", "show_request_error", "take_request"]


def take_request() -> None:
    """Load a pooling layer + its input sent by the Build page, then clear the request."""
    raw = st.session_state.get("stepper_request")
    target = request_target(raw)
    if target is None:
        return
    if target == "conv":
        st.switch_page("pages/conv/page.py")  # the convolution stepper owns conv requests
    del st.session_state["stepper_request"]
    try:
        request = parse_stepper_request(raw, "pool", MAX_SIZE, MAX_CHANNELS)
    except SpecError:
        st.session_state["pool_request_error"] = True
        return
    st.session_state["pool_request"] = request
    settings = pool_request_settings(request, PoolSettings())
    (kh, kw), (sh, sw), (ph, pw) = settings.kernel, settings.stride, settings.padding
    st.session_state.update(
        pool_source="request",
        pool_kind=settings.kind,
        pool_h=settings.shape[0],
        pool_w=settings.shape[1],
        pool_kh=kh,
        pool_kw=kw,
        pool_sh=sh,
        pool_sw=sw,
        pool_ph=ph,
        pool_pw=pw,
        pool_channel=0,
        pool_pos=0,
    )


def show_request_error() -> None:
    """Say that the last request could not be opened (once)."""
    if st.session_state.pop("pool_request_error", False):
        st.error(tr("conv.request_bad"))


def show_request(source: str) -> None:
    """Which Build layer the values come from (when ``source`` is "request"), and any crop."""
    request: StepperRequest | None = st.session_state.get("pool_request")
    if source != "request" or not request:
        return
    st.info(tr("conv.from_build", label=request.label), icon="🧱")
    if request.cropped:
        st.caption(
            tr(
                "conv.request_cropped",
                full="x".join(map(str, request.full_shape)),
                crop="x".join(map(str, request.input.shape)),
            )
        )
