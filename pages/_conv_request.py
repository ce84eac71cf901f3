"""Convolution stepper: a Conv2d layer sent by the Build page (``stepper_request``). Never a page.

``take_request`` checks the request, crops its feature map to what the stepper can show, keeps the
layer's weights for the channels shown, stores it as ``conv_request`` and sets the widgets to the
layer's settings; ``show_request`` says where the values come from.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.samples import center_crop
from cnnviz.specs import AvgPool2dSpec, Conv2dSpec, MaxPool2dSpec, SpecError
from pages._conv_settings import MAX_CHANNELS, MAX_SIZE
from pages._ui import tr

__all__ = ["show_request", "take_request"]


def take_request() -> None:
    """Load a Conv2d layer + its input sent by the Build page, then clear the request."""
    request = st.session_state.get("stepper_request")
    if not isinstance(request, dict):
        return
    layer = request.get("layer")
    if isinstance(layer, (MaxPool2dSpec, AvgPool2dSpec)):
        st.switch_page("pages/pool.py")  # the pooling stepper owns pooling requests
    del st.session_state["stepper_request"]
    if not isinstance(layer, Conv2dSpec):
        st.session_state["conv_request_error"] = True
        return
    try:
        full = np.asarray(request.get("input"), dtype=np.float64)
        crop, cropped = center_crop(full, MAX_SIZE, MAX_SIZE, MAX_CHANNELS)
    except (SpecError, TypeError, ValueError):
        st.session_state["conv_request_error"] = True
        return
    if not np.isfinite(crop).all():
        st.session_state["conv_request_error"] = True
        return
    channels = crop.shape[0]
    groups = layer.groups
    notes = []
    if groups > 1 and (channels % groups or layer.out_channels % groups):
        notes.append("stepper.request_groups_dropped")
        groups = 1
    weights = _request_weights(request.get("weights"), layer, full.shape[0], channels, groups)
    if channels < full.shape[0]:
        notes.append("conv.request_channels_subset")
    st.session_state["conv_request"] = {
        "layer": layer,
        "input": crop,
        "label": str(request.get("label", "")),
        "cropped": cropped,
        "full_shape": tuple(int(v) for v in full.shape),
        "weights": weights,
        "groups": groups,
        "notes": notes,
        "source": str(request.get("source", "build")),
    }
    kh, kw = layer.kernel_size
    st.session_state.update(
        conv_source="request",
        conv_mode="normal",
        conv_c=channels,
        conv_h=crop.shape[1],
        conv_w=crop.shape[2],
        conv_kh=kh,
        conv_kw=kw,
        conv_sh=layer.stride[0],
        conv_sw=layer.stride[1],
        conv_dh=layer.dilation[0],
        conv_dw=layer.dilation[1],
        conv_groups=groups,
        conv_bias=layer.bias,
        conv_bias_value=0.0,  # the Build page sends the weights only; the bias starts at 0
        conv_flip=False,
        conv_pos=0,
        conv_filter=0,
    )
    if isinstance(layer.padding, str):
        st.session_state["conv_pad_mode"] = layer.padding
    else:
        ph, pw = layer.padding
        st.session_state.update(
            conv_pad_mode="explicit", conv_pt=ph, conv_pb=ph, conv_pl=pw, conv_pr=pw
        )


def _request_weights(
    weights: object, layer: Conv2dSpec, full_channels: int, channels: int, groups: int
) -> np.ndarray | None:
    """The layer's weights restricted to the channels shown, or None if they do not fit."""
    if weights is None:
        return None
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    expected = (layer.out_channels, full_channels // layer.groups, *layer.kernel_size)
    if w.shape != expected or not np.isfinite(w).all():
        return None
    if groups == layer.groups == 1:
        return np.ascontiguousarray(w[:, :channels])  # the first channels, as the crop keeps
    if groups == layer.groups and channels == full_channels:
        return w
    return None


def show_request(source: str) -> None:
    """Which Build layer the values come from (when ``source`` is "request"), and what changed.

    Also says when the last request could not be opened.
    """
    if st.session_state.pop("conv_request_error", False):
        st.error(tr("conv.request_bad"))
    request = st.session_state.get("conv_request")
    if source != "request" or not request:
        return
    st.info(tr("conv.from_build", label=request["label"]), icon="🧱")
    if request["cropped"]:
        st.caption(
            tr(
                "conv.request_cropped",
                full="x".join(map(str, request["full_shape"])),
                crop="x".join(map(str, request["input"].shape)),
            )
        )
    if request["weights"] is None:
        st.caption(tr("conv.request_random_weights"))
    else:
        st.caption(tr("conv.request_layer_weights"))
    for note in request["notes"]:
        st.caption(tr(note))
