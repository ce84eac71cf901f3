"""Convolution stepper: a Conv2d or ConvTranspose2d layer sent by the Build page
(``stepper_request``). Never a page.

``take_request`` hands a pooling request to the pooling stepper, checks a Conv2d or
ConvTranspose2d one (a U-Net's up-sampling layer) with ``cnnviz.lessons.parse_stepper_request``
(which crops its feature map to what the stepper can show) and ``cnnviz.lessons.conv_request``
(which keeps the layer's weights for the channels and filters shown), stores it as
``conv_request`` and sets the widgets to the layer's settings (transposed mode for a
ConvTranspose2d); ``show_request`` says where the values come from.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import (
    ConvRequest,
    conv_request,
    conv_request_settings,
    parse_stepper_request,
    request_target,
)
from cnnviz.net import SpecError
from pages.conv.settings import MAX_CHANNELS, MAX_SIZE, widget_values
from pages.shared.session import tr

__all__ = ["show_request", "take_request"]


def take_request() -> None:
    """Load a Conv2d/ConvTranspose2d layer + its input sent by the Build page, then clear the
    request."""
    raw = st.session_state.get("stepper_request")
    target = request_target(raw)
    if target is None:
        return
    if target == "pool":
        st.switch_page("pages/pool/page.py")  # the pooling stepper owns pooling requests
    del st.session_state["stepper_request"]
    try:
        request = conv_request(parse_stepper_request(raw, "conv", MAX_SIZE, MAX_CHANNELS))
    except SpecError:
        st.session_state["conv_request_error"] = True
        return
    st.session_state["conv_request"] = request
    # the layer's settings (bias starts at 0: the Build page sends the weights only)
    st.session_state.update(widget_values(conv_request_settings(request)))
    st.session_state.update(conv_pos=0, conv_filter=0)


def show_request(source: str) -> None:
    """Which Build layer the values come from (when ``source`` is "request"), and what changed.

    Also says when the last request could not be opened.
    """
    if st.session_state.pop("conv_request_error", False):
        st.error(tr("conv.request_bad"))
    request: ConvRequest | None = st.session_state.get("conv_request")
    if source != "request" or not request:
        return
    st.info(tr("conv.from_build", label=request.label), icon="🧱")
    if request.cropped:
        st.caption(
            tr(
                "conv.request_cropped_transposed" if request.transposed else "conv.request_cropped",
                full="x".join(map(str, request.full_shape)),
                crop="x".join(map(str, request.input.shape)),
            )
        )
    if request.weights is None:
        st.caption(tr("conv.request_random_weights"))
    else:
        st.caption(tr("conv.request_layer_weights"))
    for note in request.notes:
        st.caption(tr(note, shown=request.filters, total=request.layer.out_channels))
