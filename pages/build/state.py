"""Build page: the layer drafts in session state and the callbacks that edit them. Never a page.

A draft is the JSON schema's layer dict plus a stable ``id`` (widget keys are ``build_<id>_...``, so
they survive reordering). Session keys: ``build_layers`` (the drafts), ``build_input`` (C, H, W),
``build_meta`` (name, texts and layers of the network last loaded), ``build_next_id``,
``build_pending`` (a network uploaded during the previous run), ``build_written`` (the net this
page last wrote to ``"net"``). Messages for this run (a share link restored or refused) are flash
messages of page ``"build"`` (``pages.shared.flash``).

The drafts and ``build_input`` are the truth: the widgets that show them (a layer's settings, the
custom input size) are seeded from them each time they appear (``set_defaults``) and are not
persisted; loading a network writes the widget keys it changes (``set_values``).
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from cnnviz.net import (
    DEFAULT_PRESET,
    LAYER_TYPES,
    PRESETS,
    LayerSpec,
    NetSpec,
    SpecError,
    decode_share,
    layer_to_dict,
)
from pages.shared.flash import flash
from pages.shared.session import lang, tr
from pages.shared.widgets import set_values

__all__ = [
    "INPUT_CHOICES",
    "TORCH_NAMES",
    "init_state",
    "layers",
    "on_add",
    "on_duplicate",
    "on_insert_above",
    "on_load_preset",
    "on_move",
    "on_remove",
    "on_scratch",
]

INPUT_CHOICES: dict[str, tuple[int, int, int] | None] = {
    "28x28x1": (1, 28, 28),
    "32x32x1": (1, 32, 32),
    "32x32x3": (3, 32, 32),
    "64x64x3": (3, 64, 64),
    "227x227x3": (3, 227, 227),
    "custom": None,
}
# PyTorch's name for each layer kind (language-neutral), shown next to the translated kind.
TORCH_NAMES = {
    "conv2d": "Conv2d",
    "maxpool2d": "MaxPool2d",
    "avgpool2d": "AvgPool2d",
    "global_avg_pool": "AdaptiveAvgPool2d(1)",
    "batchnorm2d": "BatchNorm2d",
    "lrn": "LocalResponseNorm",
    "activation": "ReLU, Tanh, ...",
    "dropout": "Dropout",
    "dropout2d": "Dropout2d",
    "flatten": "Flatten",
    "linear": "Linear",
    "residual": "ResidualBlock",
}
# Required fields of a new layer; the spec's defaults fill in the rest.
NEW_LAYER_ARGS: dict[str, dict[str, Any]] = {
    "conv2d": {"out_channels": 8},
    "linear": {"out_features": 10},
    "residual": {"out_channels": 16},
}


def layers() -> list[dict[str, Any]]:
    """The layer drafts, in network order (the list in session state, edited in place)."""
    return st.session_state["build_layers"]


def _new_id() -> int:
    st.session_state["build_next_id"] = st.session_state.get("build_next_id", 0) + 1
    return int(st.session_state["build_next_id"])


def _draft(spec: LayerSpec) -> dict[str, Any]:
    """A layer draft: the schema's layer dict plus a stable id (for widget keys)."""
    return {"id": _new_id(), **layer_to_dict(spec)}


def _load_net(net: NetSpec) -> None:
    """Replace the editor's contents with ``net`` (drafts, input, name and texts)."""
    st.session_state["build_layers"] = [_draft(spec) for spec in net.layers]
    st.session_state["build_input"] = tuple(net.input_shape)
    st.session_state["build_meta"] = {
        "name": net.name,
        "description": net.description,
        "source": net.source,
        "class_names": tuple(net.class_names),
        "layers": tuple(net.layers),
        "input_shape": tuple(net.input_shape),
    }
    matching = [k for k, v in INPUT_CHOICES.items() if v == tuple(net.input_shape)]
    widgets: dict[str, Any] = {"build_input_choice": matching[0] if matching else "custom"}
    if not matching:  # the custom C, H, W inputs are drawn: show the new shape
        widgets.update(
            {f"build_input_{axis}": int(v) for axis, v in zip("chw", net.input_shape, strict=True)}
        )
    if net.name in PRESETS:
        widgets["build_preset"] = net.name
    set_values(widgets)


def init_state() -> None:
    """First visit of the session: the URL's ``?net=`` link, else the session's net, else tiny.

    Also applies a network loaded by the upload during the previous run (widgets it resets can
    only be set before they are drawn), and follows a network another page wrote to ``"net"``.
    """
    pending = st.session_state.pop("build_pending", None)
    if isinstance(pending, NetSpec):
        _load_net(pending)
        return
    current = st.session_state.get("net")
    if "build_layers" in st.session_state:
        written = st.session_state.get("build_written")
        if isinstance(current, NetSpec) and written is not None and current != written:
            _load_net(current)  # another page (e.g. a loaded checkpoint) set a new network
            st.session_state["build_written"] = current
        return
    token = st.query_params.get("net")
    if token:
        try:
            _load_net(decode_share(token))
            flash("build", "success", tr("build.link_restored"))
            return
        except SpecError as error:
            flash("build", "error", tr("build.link_bad"))
            for problem in error.problems:
                flash("build", "error", problem.text(lang()))
    _load_net(current if isinstance(current, NetSpec) else PRESETS[DEFAULT_PRESET])


# ---------------------------------------------------------------- callbacks (run before the script)


def _position(layer_id: int) -> int:
    return next(i for i, layer in enumerate(layers()) if layer["id"] == layer_id)


def _new_layer_draft() -> dict[str, Any]:
    kind = st.session_state.get("build_new_kind", "conv2d")
    spec = LAYER_TYPES[kind](**NEW_LAYER_ARGS.get(kind, {}))
    return _draft(spec)


def on_add() -> None:
    """Append a layer of the kind chosen in "New layer type"."""
    layers().append(_new_layer_draft())


def on_insert_above(layer_id: int) -> None:
    """Insert a layer of the chosen kind above layer ``layer_id``."""
    layers().insert(_position(layer_id), _new_layer_draft())


def on_duplicate(layer_id: int) -> None:
    """Insert a copy of layer ``layer_id`` (with a new id) right below it."""
    index = _position(layer_id)
    twin = copy.deepcopy(layers()[index])
    twin["id"] = _new_id()
    layers().insert(index + 1, twin)


def on_move(layer_id: int, offset: int) -> None:
    """Swap layer ``layer_id`` with its neighbour ``offset`` (-1 up, +1 down) places away."""
    index = _position(layer_id)
    target = index + offset
    if 0 <= target < len(layers()):
        drafts = layers()
        drafts[index], drafts[target] = drafts[target], drafts[index]


def on_remove(layer_id: int) -> None:
    """Delete layer ``layer_id``."""
    del layers()[_position(layer_id)]


def on_load_preset() -> None:
    """Replace the editor's network with the preset chosen in "Famous network"."""
    _load_net(PRESETS[st.session_state["build_preset"]])


def on_scratch() -> None:
    """Start an empty network on the current input shape."""
    _load_net(NetSpec(st.session_state["build_input"], (), name="my-net"))
