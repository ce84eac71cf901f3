"""Build a CNN: start from a preset or from scratch, edit layers in place, see every shape.

Reads the layer drafts (plain dicts in the JSON schema's layer format, kept in session state with
a stable id each so widget keys survive reordering) -> builds specs with ``cnnviz.schema`` ->
``cnnviz.shapes.infer`` -> renders the table, totals, diagram, problems on their layers and the
exports. The last valid network is ``st.session_state["net"]`` (what the Train page trains).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.builder import feature_map_before
from cnnviz.codegen import to_pytorch_code
from cnnviz.i18n import t
from cnnviz.presets import DEFAULT_PRESET, PRESETS
from cnnviz.schema import (
    decode_share,
    encode_share,
    layer_from_dict,
    layer_to_dict,
    net_from_json,
    net_to_json,
)
from cnnviz.shapes import NetSummary, infer, type_name
from cnnviz.specs import (
    ACTIVATIONS,
    LAYER_TYPES,
    MAX_CHANNELS,
    MAX_FEATURES,
    MAX_KERNEL,
    MAX_SPATIAL,
    ActivationSpec,
    Conv2dSpec,
    LayerSpec,
    NetSpec,
    Problem,
    SpecError,
)
from cnnviz.viz_net import network_diagram, params_bar
from pages._ui import lang, tr

CHART_CONFIG = {"displayModeBar": False, "scrollZoom": False}
INPUT_CHOICES: dict[str, tuple[int, int, int] | None] = {
    "28x28x1": (1, 28, 28),
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
PAIR_FIELDS = {"kernel_size", "stride", "padding", "dilation"}
STEPPER_PAGES = {
    "conv2d": "pages/conv.py",
    "maxpool2d": "pages/pool.py",
    "avgpool2d": "pages/pool.py",
}


# ---------------------------------------------------------------- drafts in session state


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
    st.session_state["build_input_choice"] = matching[0] if matching else "custom"
    for axis, value in zip("chw", net.input_shape, strict=True):
        st.session_state[f"build_input_{axis}"] = int(value)


_SEEDED_WIDGET = re.compile(r"build_(\d+__.+|input_[chw]|input_choice|preset)")


def _purge_stale_widgets() -> None:
    """On (re)entering the page, drop the widget values this page seeded.

    Streamlit keeps some of them while another page is shown, with stale values; the drafts and
    ``build_input`` (plain session keys) are the truth, and the widgets are re-seeded from them.
    ``build_new_kind`` is a widget nobody seeds: it is missing exactly when the previous run was
    not this page.
    """
    if "build_new_kind" in st.session_state:
        return
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and _SEEDED_WIDGET.fullmatch(key):
            del st.session_state[key]


def _init_state() -> None:
    """First visit of the session: the URL's ``?net=`` link, else the session's net, else tiny.

    Also applies a network loaded by the upload during the previous run (widgets it resets can
    only be set before they are drawn).
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
            st.session_state["build_flash"] = ("success", "build.link_restored", {})
            return
        except SpecError as error:
            st.session_state["build_link_problems"] = error.problems
    _load_net(current if isinstance(current, NetSpec) else PRESETS[DEFAULT_PRESET])


# ---------------------------------------------------------------- callbacks (run before the script)


def _layers() -> list[dict[str, Any]]:
    return st.session_state["build_layers"]


def _position(layer_id: int) -> int:
    return next(i for i, layer in enumerate(_layers()) if layer["id"] == layer_id)


def _new_layer_draft() -> dict[str, Any]:
    kind = st.session_state.get("build_new_kind", "conv2d")
    spec = LAYER_TYPES[kind](**NEW_LAYER_ARGS.get(kind, {}))
    return _draft(spec)


def _on_add() -> None:
    _layers().append(_new_layer_draft())


def _on_insert_above(layer_id: int) -> None:
    _layers().insert(_position(layer_id), _new_layer_draft())


def _on_duplicate(layer_id: int) -> None:
    index = _position(layer_id)
    twin = copy.deepcopy(_layers()[index])
    twin["id"] = _new_id()
    _layers().insert(index + 1, twin)


def _on_move(layer_id: int, offset: int) -> None:
    index = _position(layer_id)
    target = index + offset
    if 0 <= target < len(_layers()):
        layers = _layers()
        layers[index], layers[target] = layers[target], layers[index]


def _on_remove(layer_id: int) -> None:
    del _layers()[_position(layer_id)]


def _on_load_preset() -> None:
    _load_net(PRESETS[st.session_state["build_preset"]])


def _on_scratch() -> None:
    _load_net(NetSpec(st.session_state["build_input"], (), name="my-net"))


# ---------------------------------------------------------------- widgets of one layer


def _seed_widget(key: str, value: Any) -> None:
    """Give a widget its draft value the first time it appears (widget state then rules)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _field_label(name: str, axis: str = "") -> str:
    """The translated setting, then PyTorch's argument name (not for the page's own switches)."""
    if name in ("rectangular", "padding_mode"):
        return tr(f"build.field.{name}")
    return f"{tr(f'build.field.{name}')} ({name}{', ' + axis if axis else ''})"


def _int_input(key: str, name: str, value: int, minimum: int, maximum: int, axis: str = "") -> int:
    _seed_widget(key, int(value))
    return int(
        st.number_input(
            _field_label(name, axis), min_value=minimum, max_value=maximum, step=1, key=key
        )
    )


def _float_input(
    key: str, name: str, value: float, minimum: float, maximum: float, step: float
) -> float:
    _seed_widget(key, float(value))
    return float(
        st.number_input(
            _field_label(name),
            min_value=minimum,
            max_value=maximum,
            step=step,
            format="%g",
            key=key,
        )
    )


def _pair_input(
    prefix: str, draft: dict[str, Any], name: str, minimum: int, rect: bool
) -> list[int]:
    value = draft[name] if isinstance(draft[name], list) else [0, 0]
    if not rect:
        return [_int_input(f"{prefix}_{name}__sq", name, value[0], minimum, MAX_KERNEL)] * 2
    left, right = st.columns(2)
    with left:
        h = _int_input(f"{prefix}_{name}__h", name, value[0], minimum, MAX_KERNEL, axis="H")
    with right:
        w = _int_input(f"{prefix}_{name}__w", name, value[1], minimum, MAX_KERNEL, axis="W")
    return [h, w]


def _checkbox(key: str, name: str, value: bool) -> bool:
    _seed_widget(key, bool(value))
    return bool(st.checkbox(_field_label(name), key=key))


def _select(
    key: str,
    name: str,
    value: str,
    options: tuple[str, ...],
    format_func: Any = str,
) -> str:
    _seed_widget(key, value if value in options else options[0])
    return str(
        st.selectbox(_field_label(name), options=list(options), format_func=format_func, key=key)
    )


def _activation_name(function: str) -> str:
    return type_name(ActivationSpec(function))


def _padding_mode_name(language: str, mode: str) -> str:
    return t("build.padding_number", language) if mode == "number" else f'"{mode}"'


def _widget_prefix(draft: dict[str, Any]) -> str:
    return f"build_{draft['id']}_"


def _sync_from_widgets() -> None:
    """Copy this interaction's widget values into the drafts before anything is computed.

    Widget keys are ``build_<id>__<field>`` (``__h``/``__w`` for a rectangular pair, ``__sq`` for
    a square one, ``padding__mode`` for "same"/"valid"); a widget not drawn yet leaves its field.
    """
    state = st.session_state
    for draft in _layers():
        prefix = _widget_prefix(draft)
        rect = bool(state.get(f"{prefix}_rect", False))
        for field in list(draft):
            if field in ("id", "type"):
                continue
            if field in PAIR_FIELDS:
                mode = state.get(f"{prefix}_padding__mode")
                if field == "padding" and draft["type"] == "conv2d" and mode in ("same", "valid"):
                    draft[field] = mode
                    continue
                keys = [f"{prefix}_{field}__h", f"{prefix}_{field}__w"]
                if rect and all(key in state for key in keys):
                    draft[field] = [int(state[keys[0]]), int(state[keys[1]])]
                elif not rect and f"{prefix}_{field}__sq" in state:
                    draft[field] = [int(state[f"{prefix}_{field}__sq"])] * 2
            elif f"{prefix}_{field}" in state:
                draft[field] = state[f"{prefix}_{field}"]


def _edit_fields(draft: dict[str, Any]) -> dict[str, Any]:
    """Widgets for every setting of one layer; returns the updated draft."""
    prefix = _widget_prefix(draft)
    kind = draft["type"]
    new = dict(draft)
    if kind in ("conv2d", "maxpool2d", "avgpool2d"):
        is_rect = any(
            isinstance(draft.get(f), list) and draft[f][0] != draft[f][1] for f in PAIR_FIELDS
        )
        rect = _checkbox(f"{prefix}_rect", "rectangular", is_rect)
        cols = st.columns(2)
        if kind == "conv2d":
            with cols[0]:
                new["out_channels"] = _int_input(
                    f"{prefix}_out_channels", "out_channels", draft["out_channels"], 1, MAX_CHANNELS
                )
            with cols[1]:
                new["groups"] = _int_input(
                    f"{prefix}_groups", "groups", draft["groups"], 1, MAX_CHANNELS
                )
        with cols[0]:
            new["kernel_size"] = _pair_input(prefix, draft, "kernel_size", 1, rect)
        with cols[1]:
            new["stride"] = _pair_input(prefix, draft, "stride", 1, rect)
        with cols[0]:
            if kind == "conv2d":
                current = draft["padding"]
                mode = _select(
                    f"{prefix}_padding__mode",
                    "padding_mode",
                    current if isinstance(current, str) else "number",
                    ("number", "same", "valid"),
                    partial(_padding_mode_name, lang()),
                )
                if mode == "number":
                    new["padding"] = _pair_input(prefix, draft, "padding", 0, rect)
                else:
                    new["padding"] = mode
            else:
                new["padding"] = _pair_input(prefix, draft, "padding", 0, rect)
        if kind == "conv2d":
            with cols[1]:
                new["dilation"] = _pair_input(prefix, draft, "dilation", 1, rect)
                new["bias"] = _checkbox(f"{prefix}_bias", "bias", draft["bias"])
    elif kind == "batchnorm2d":
        cols = st.columns(2)
        with cols[0]:
            new["eps"] = _float_input(f"{prefix}_eps", "eps", draft["eps"], 1e-12, 1.0, 1e-5)
        with cols[1]:
            new["momentum"] = _float_input(
                f"{prefix}_momentum", "momentum", draft["momentum"], 0.0, 1.0, 0.05
            )
    elif kind == "lrn":
        cols = st.columns(4)
        with cols[0]:
            new["size"] = _int_input(f"{prefix}_size", "size", draft["size"], 1, 64)
        with cols[1]:
            new["alpha"] = _float_input(f"{prefix}_alpha", "alpha", draft["alpha"], 0.0, 10.0, 1e-4)
        with cols[2]:
            new["beta"] = _float_input(f"{prefix}_beta", "beta", draft["beta"], 0.0, 10.0, 0.05)
        with cols[3]:
            new["k"] = _float_input(f"{prefix}_k", "k", draft["k"], 0.0, 100.0, 0.5)
    elif kind == "activation":
        cols = st.columns(2)
        with cols[0]:
            new["function"] = _select(
                f"{prefix}_function", "function", draft["function"], ACTIVATIONS, _activation_name
            )
        if new["function"] == "leaky_relu":
            with cols[1]:
                new["negative_slope"] = _float_input(
                    f"{prefix}_negative_slope",
                    "negative_slope",
                    draft["negative_slope"],
                    0.0,
                    1.0,
                    0.01,
                )
    elif kind in ("dropout", "dropout2d"):
        new["p"] = _float_input(f"{prefix}_p", "p", draft["p"], 0.0, 0.99, 0.05)
    elif kind == "linear":
        cols = st.columns(2)
        with cols[0]:
            new["out_features"] = _int_input(
                f"{prefix}_out_features", "out_features", draft["out_features"], 1, MAX_FEATURES
            )
        with cols[1]:
            new["bias"] = _checkbox(f"{prefix}_bias", "bias", draft["bias"])
    elif kind == "residual":
        cols = st.columns(2)
        with cols[0]:
            new["out_channels"] = _int_input(
                f"{prefix}_out_channels", "out_channels", draft["out_channels"], 1, MAX_CHANNELS
            )
            new["activation"] = _select(
                f"{prefix}_activation",
                "activation",
                draft["activation"],
                ACTIVATIONS,
                _activation_name,
            )
        with cols[1]:
            new["stride"] = _int_input(f"{prefix}_stride", "stride", draft["stride"], 1, 4)
            new["bottleneck"] = _checkbox(f"{prefix}_bottleneck", "bottleneck", draft["bottleneck"])
            new["batch_norm"] = _checkbox(f"{prefix}_batch_norm", "batch_norm", draft["batch_norm"])
    else:  # flatten, global average pooling: nothing to set
        st.caption(tr(f"build.no_settings.{kind}"))
    return new


# ---------------------------------------------------------------- the network from the drafts


@dataclasses.dataclass
class Current:
    """The network as drafted now: per-draft spec or problems, and the inferred summary."""

    specs: list[LayerSpec | None]
    layer_problems: list[list[Problem]]
    net_problems: list[Problem]
    notes: list[list[Problem]]
    net: NetSpec | None  # None while a layer's own settings are invalid
    summary: NetSummary
    summary_rows: list[int | None]  # draft index -> row in summary.layers (None: not inferred)

    @property
    def ok(self) -> bool:
        return self.net is not None and not self.net_problems and not any(self.layer_problems)


def _current(drafts: list[dict[str, Any]], input_shape: tuple[int, int, int]) -> Current:
    specs: list[LayerSpec | None] = []
    layer_problems: list[list[Problem]] = []
    for index, draft in enumerate(drafts):
        data = {k: v for k, v in draft.items() if k != "id"}
        try:
            specs.append(layer_from_dict(data, index))
            layer_problems.append([])
        except SpecError as error:
            specs.append(None)
            layer_problems.append(list(error.problems))
    kept = [i for i, spec in enumerate(specs) if spec is not None]
    meta = st.session_state.get("build_meta", {})
    layers = tuple(spec for spec in specs if spec is not None)
    unchanged = layers == meta.get("layers") and input_shape == meta.get("input_shape")
    base = meta.get("name") or "my-net"
    probe = NetSpec(
        input_shape,
        layers,
        name=base
        if unchanged or base.endswith("-edited") or base == "my-net"
        else f"{base}-edited",
        description=meta.get("description", "") if unchanged else "",
        source=meta.get("source", "") if unchanged else "",
        class_names=meta.get("class_names", ()),
    )
    summary = infer(probe)
    notes: list[list[Problem]] = [[] for _ in drafts]
    net_problems: list[Problem] = []
    rows: list[int | None] = [None] * len(drafts)
    for row, index in enumerate(kept):
        rows[index] = row
    for problem in summary.problems:
        if problem.layer_index is None:
            net_problems.append(problem)
        else:
            index = kept[problem.layer_index]
            layer_problems[index].append(dataclasses.replace(problem, layer_index=index))
    for note in summary.notes:
        if note.layer_index is not None:
            index = kept[note.layer_index]
            notes[index].append(dataclasses.replace(note, layer_index=index))
    complete = len(kept) == len(drafts)
    return Current(
        specs, layer_problems, net_problems, notes, probe if complete else None, summary, rows
    )


# ---------------------------------------------------------------- rendering


def _shape_text(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "?"
    return "×".join(map(str, shape))


def _bytes_text(size: int) -> str:
    if size >= 1e6:
        return f"{size / 1e6:,.1f} MB"
    return f"{size / 1e3:,.1f} KB"


# format_func callbacks get the language bound when the widget is drawn (AppTest calls them
# outside the script run, where the session's language is not available).
def _kind_label(kind: str, language: str | None = None) -> str:
    return f"{TORCH_NAMES[kind]} · {t(f'viz.net.kind.{kind}', language or lang())}"


def _preset_title(language: str, name: str) -> str:
    return t(f"preset.{name}.title", language)


def _input_choice_name(language: str, choice: str) -> str:
    return t("build.input_custom", language) if choice == "custom" else choice.replace("x", "×")


def _input_controls() -> tuple[int, int, int]:
    current = tuple(st.session_state["build_input"])
    if "build_input_choice" not in st.session_state:  # dropped while another page was shown
        matching = [k for k, v in INPUT_CHOICES.items() if v == current]
        st.session_state["build_input_choice"] = matching[0] if matching else "custom"
    choice = st.selectbox(
        tr("build.input"),
        options=list(INPUT_CHOICES),
        format_func=partial(_input_choice_name, lang()),
        key="build_input_choice",
        help=tr("build.input_help"),
    )
    shape = INPUT_CHOICES[choice]
    if shape is None:
        cols = st.columns(3)
        limits = {"c": 64, "h": MAX_SPATIAL, "w": MAX_SPATIAL}
        values = []
        for col, axis in zip(cols, "chw", strict=True):
            key = f"build_input_{axis}"
            _seed_widget(key, dict(zip("chw", st.session_state["build_input"], strict=True))[axis])
            with col:
                values.append(
                    int(
                        st.number_input(
                            tr(f"build.input_{axis}"),
                            min_value=1,
                            max_value=limits[axis],
                            step=1,
                            key=key,
                        )
                    )
                )
        shape = (values[0], values[1], values[2])
    st.session_state["build_input"] = shape
    return shape


def _start_controls() -> None:
    with st.container(border=True):
        st.markdown(f"**{tr('build.start')}**")
        _seed_widget(
            "build_preset", st.session_state.get("build_meta", {}).get("name", DEFAULT_PRESET)
        )
        if st.session_state["build_preset"] not in PRESETS:
            st.session_state["build_preset"] = DEFAULT_PRESET
        preset = st.selectbox(
            tr("build.preset"),
            options=list(PRESETS),
            format_func=partial(_preset_title, lang()),
            key="build_preset",
        )
        st.caption(tr(f"preset.{preset}.description"))
        st.caption(tr("build.source", source=PRESETS[preset].source))
        left, right = st.columns(2)
        with left:
            st.button(
                tr("build.load_preset"), on_click=_on_load_preset, type="primary", width="stretch"
            )
        with right:
            st.button(tr("build.scratch"), on_click=_on_scratch, width="stretch")


def _stepper_button(current: Current, index: int, draft: dict[str, Any], container: Any) -> None:
    kind = draft["type"]
    if kind not in STEPPER_PAGES:
        return
    clicked = container.button(
        tr("build.open_stepper"),
        key=f"build_{draft['id']}_stepper",
        icon=":material/zoom_in:",
        disabled=not current.ok,
        help=tr("build.open_stepper_help") if current.ok else tr("build.fix_first"),
    )
    if not clicked or current.net is None:
        return
    net = current.net
    channels, height, width = net.input_shape
    image = _sample_input(channels, height, width)
    feature_map = feature_map_before(net, index, image, seed=0)
    spec = net.layers[index]
    request: dict[str, Any] = {
        "layer": spec,
        "input": feature_map,
        "label": tr(
            "build.stepper_label", number=index + 1, label=current.summary.layers[index].label
        ),
        "source": "build",
    }
    if isinstance(spec, Conv2dSpec):
        request["weights"] = _conv_weights(net, index)
    st.session_state["stepper_request"] = request
    st.switch_page(STEPPER_PAGES[kind])


def _sample_input(channels: int, height: int, width: int) -> np.ndarray:
    """A sample image for the stepper: a drawn digit if ``cnnviz.samples`` exists, else a ramp."""
    try:
        from cnnviz.samples import sample_image
    except ImportError:
        sample_image = None
    if sample_image is not None:
        try:
            return sample_image(channels, height, width, kind="digit")
        except (SpecError, ValueError):
            pass
    ramp = np.add.outer(np.arange(height), np.arange(width)) / max(height + width - 2, 1)
    return np.broadcast_to(ramp, (channels, height, width)).astype(np.float32)


def _conv_weights(net: NetSpec, index: int) -> np.ndarray:
    """The seeded model's weights of conv layer ``index`` (built up to that layer only)."""
    from cnnviz.builder import build_model

    model = build_model(NetSpec(net.input_shape, net.layers[: index + 1]), seed=0)
    return model.layers[index].weight.detach().numpy().copy()  # (F, C/groups, kh, kw)


def _layer_editor(current: Current) -> None:
    drafts = _layers()
    updated: list[dict[str, Any]] = []
    for index, draft in enumerate(drafts):
        row = current.summary_rows[index]
        info = current.summary.layers[row] if row is not None else None
        problems = current.layer_problems[index]
        spec = current.specs[index]
        label = info.label if info is not None else TORCH_NAMES[draft["type"]]
        shape = _shape_text(info.output_shape) if info is not None else "?"
        title = f"{index + 1} · {label} → {shape}" if spec is not None else f"{index + 1} · {label}"
        with st.expander(
            title,
            expanded=bool(problems),
            icon=":material/warning:" if problems else None,
            key=f"build_{draft['id']}_expander",
        ):
            for problem in problems:
                st.error(problem.text(lang()), icon="⚠️")
            for note in current.notes[index]:
                st.info(note.text(lang()), icon="ℹ️")
            new = _edit_fields(draft)
            if info is not None and info.formulas:
                st.caption(tr("build.formulas"))
                st.code("\n".join(info.formulas), language=None, wrap_lines=True)
            row = st.container(horizontal=True, gap="small", vertical_alignment="center")
            buttons = [row] * 6
            layer_id = draft["id"]
            buttons[0].button(
                "",
                icon=":material/arrow_upward:",
                key=f"build_{layer_id}_up",
                help=tr("build.move_up"),
                on_click=_on_move,
                args=(layer_id, -1),
                disabled=index == 0,
            )
            buttons[1].button(
                "",
                icon=":material/arrow_downward:",
                key=f"build_{layer_id}_down",
                help=tr("build.move_down"),
                on_click=_on_move,
                args=(layer_id, 1),
                disabled=index == len(drafts) - 1,
            )
            buttons[2].button(
                "",
                icon=":material/add:",
                key=f"build_{layer_id}_insert",
                help=tr(
                    "build.insert_above",
                    kind=_kind_label(st.session_state.get("build_new_kind", "conv2d")),
                ),
                on_click=_on_insert_above,
                args=(layer_id,),
            )
            buttons[3].button(
                "",
                icon=":material/content_copy:",
                key=f"build_{layer_id}_duplicate",
                help=tr("build.duplicate"),
                on_click=_on_duplicate,
                args=(layer_id,),
            )
            buttons[4].button(
                "",
                icon=":material/delete:",
                key=f"build_{layer_id}_remove",
                help=tr("build.remove"),
                on_click=_on_remove,
                args=(layer_id,),
            )
            if draft["type"] in STEPPER_PAGES:
                _stepper_button(current, index, draft, buttons[5])
        updated.append(new)
    st.session_state["build_layers"] = updated


def _add_layer_controls() -> None:
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        st.selectbox(
            tr("build.new_kind"),
            options=list(LAYER_TYPES),
            format_func=partial(_kind_label, language=lang()),
            key="build_new_kind",
        )
    with right:
        st.button(
            tr("build.add_layer"),
            on_click=_on_add,
            icon=":material/add:",
            type="primary",
            width="stretch",
        )


def _table(current: Current) -> pd.DataFrame:
    columns = {
        "number": tr("build.col_number"),
        "layer": tr("build.col_layer"),
        "shape": tr("build.col_shape"),
        "params": tr("build.col_params"),
        "mult_adds": tr("build.col_mult_adds"),
        "formula": tr("build.col_formula"),
    }
    rows = [
        {
            "number": "0",
            "layer": tr("viz.net.input"),
            "shape": _shape_text(current.summary.input_shape),
            "params": 0,
            "mult_adds": 0,
            "formula": "",
        }
    ]
    for index, draft in enumerate(_layers()):
        row = current.summary_rows[index]
        info = current.summary.layers[row] if row is not None else None
        flag = " ⚠️" if current.layer_problems[index] else ""
        rows.append(
            {
                "number": f"{index + 1}{flag}",
                "layer": info.label if info else TORCH_NAMES[draft["type"]],
                "shape": _shape_text(info.output_shape) if info else "?",
                "params": info.params if info else 0,
                "mult_adds": info.mult_adds if info else 0,
                "formula": "   ·   ".join(info.formulas) if info else "",
            }
        )
    return pd.DataFrame(rows).rename(columns=columns)


def _metrics(current: Current) -> None:
    """Totals; shown as "—" while the network has problems (they would be incomplete)."""
    summary = current.summary
    rf = summary.receptive_field
    values = [
        f"{summary.total_params:,}",
        f"{summary.total_mult_adds:,}",
        _bytes_text(summary.total_activation_bytes),
        f"{rf[0]}×{rf[1]} px" if rf else "—",
    ]
    if not current.ok:
        values = ["—"] * 4
    names = ["params", "mult_adds", "memory", "rf"]
    for column, name, value in zip(st.columns(4), names, values, strict=True):
        column.metric(tr(f"build.metric_{name}"), value, help=tr(f"build.metric_{name}_help"))


def _share_link(token: str) -> str:
    url = st.context.url or ""
    parts = urlsplit(url)
    query = urlencode({"net": token, "lang": lang()})
    path = parts.path if parts.path.rstrip("/").endswith("build") else "/build"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, query, ""))


def _upload_section() -> None:
    uploaded = st.file_uploader(
        tr("build.upload"), type=["json"], key="build_upload", help=tr("build.upload_help")
    )
    if uploaded is None:
        st.session_state.pop("build_upload_seen", None)
        return
    if st.session_state.get("build_upload_seen") == uploaded.file_id:
        result = st.session_state.get("build_upload_result")
    else:
        st.session_state["build_upload_seen"] = uploaded.file_id
        try:
            net = net_from_json(uploaded.getvalue())
            problems = infer(net).problems
            if problems:
                raise SpecError(problems)
            st.session_state["build_pending"] = net
            st.session_state["build_upload_result"] = ("ok", [])
            st.rerun()
        except SpecError as error:
            result = ("error", error.problems)
        st.session_state["build_upload_result"] = result
    if result and result[0] == "ok":
        st.success(tr("build.upload_ok"), icon="✅")
    elif result:
        st.error(tr("build.upload_bad"), icon="⚠️")
        for problem in result[1]:
            st.error(problem.text(lang()))


def _exports(current: Current) -> None:
    st.subheader(tr("build.export"))
    if current.ok and current.net is not None:
        net = current.net
        note = None
    else:
        net = st.session_state["net"]
        note = tr("build.export_last_valid")
    if note:
        st.info(note, icon="ℹ️")
    code_tab, json_tab, share_tab = st.tabs(
        [tr("build.tab_code"), tr("build.tab_json"), tr("build.tab_share")]
    )
    file_stem = (net.name or "my-net").replace(" ", "_")
    with code_tab:
        code = to_pytorch_code(net)
        st.download_button(
            tr("build.download_code"),
            code,
            file_name=f"{file_stem}.py",
            mime="text/x-python",
            icon="⬇️",
        )
        st.code(code, language="python")
    with json_tab:
        st.download_button(
            tr("build.download_json"),
            net_to_json(net),
            file_name=f"{file_stem}.json",
            mime="application/json",
            icon="⬇️",
        )
        _upload_section()
    with share_tab:
        token = encode_share(net)
        st.caption(tr("build.share_help"))
        st.code(_share_link(token), language=None, wrap_lines=True)


# ---------------------------------------------------------------- the page

_purge_stale_widgets()
_init_state()
_sync_from_widgets()
st.title(tr("build.title"))
st.caption(tr("build.intro"))

flash = st.session_state.pop("build_flash", None)
if flash:
    getattr(st, flash[0])(tr(flash[1], **flash[2]))
link_problems = st.session_state.pop("build_link_problems", None)
if link_problems:
    st.error(tr("build.link_bad"), icon="⚠️")
    for problem in link_problems:
        st.error(problem.text(lang()))

top_left, top_right = st.columns([3, 2])
with top_left:
    _start_controls()
with top_right, st.container(border=True):
    input_shape = _input_controls()

current = _current(_layers(), input_shape)
if current.ok and current.net is not None:
    if st.session_state.get("net") != current.net:
        st.session_state["net"] = current.net
    st.session_state["build_written"] = current.net
    token = encode_share(current.net)
    if st.query_params.get("net") != token:
        st.query_params["net"] = token
    st.success(tr("build.valid", params=f"{current.summary.total_params:,}"), icon="✅")
else:
    st.session_state.setdefault("net", PRESETS[DEFAULT_PRESET])
    bad_layers = [str(i + 1) for i, problems in enumerate(current.layer_problems) if problems]
    if bad_layers:
        st.error(tr("build.errors_on_layers", layers=", ".join(bad_layers)), icon="⚠️")
    for problem in current.net_problems:
        st.error(problem.text(lang()), icon="⚠️")
    st.info(tr("build.train_uses_last_valid"), icon="ℹ️")

_metrics(current)
st.plotly_chart(
    network_diagram(
        current.summary, lang(), compact=not st.session_state.get("build_every_layer", False)
    ),
    width="stretch",
    config=CHART_CONFIG,
    key="build_diagram",
)
st.toggle(tr("build.every_layer"), key="build_every_layer", help=tr("build.every_layer_help"))

# The table first and full width: its formula column is what the page teaches.
st.subheader(tr("build.table"))
table = _table(current)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(35 * (len(table) + 1) + 3, 900),
    column_config={
        tr("build.col_number"): st.column_config.TextColumn(width=52),
        tr("build.col_layer"): st.column_config.TextColumn(width=170),
        tr("build.col_shape"): st.column_config.TextColumn(width=92),
        tr("build.col_params"): st.column_config.NumberColumn(format="localized", width="small"),
        tr("build.col_mult_adds"): st.column_config.NumberColumn(format="localized", width="small"),
        tr("build.col_formula"): st.column_config.TextColumn(width="large"),
    },
    key="build_table",
)
with st.expander(tr("build.params_chart")):
    st.plotly_chart(params_bar(current.summary, lang()), width="stretch", config=CHART_CONFIG)


st.subheader(tr("build.layers"))
_layer_editor(current)
_add_layer_controls()

_exports(current)
