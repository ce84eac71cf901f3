"""Build page: the layer editor, one expander per layer, and "open in the stepper". Never a page.

Each expander shows the layer's problems and notes, its settings (``pages.build.fields``), its
formulas, and the buttons move up/down, insert above, duplicate, remove and open in the stepper.
Widget keys: ``build_<id>_expander``, ``build_<id>_{up,down,insert,duplicate,remove,stepper}``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from cnnviz.lessons import sample_image
from cnnviz.net import Conv2dSpec, NetSpec, SpecError, feature_map_before, shape_text
from pages.build.controls import kind_label
from pages.build.fields import edit_fields
from pages.build.network import Current
from pages.build.state import (
    TORCH_NAMES,
    layers,
    on_duplicate,
    on_insert_above,
    on_move,
    on_remove,
)
from pages.shared.session import lang, tr

__all__ = ["STEPPER_PAGES", "layer_editor"]

STEPPER_PAGES = {
    "conv2d": "pages/conv/page.py",
    "maxpool2d": "pages/pool/page.py",
    "avgpool2d": "pages/pool/page.py",
}


def _stepper_button(current: Current, index: int, draft: dict[str, Any], container: Any) -> None:
    """Send this conv/pool layer and the feature map it receives to its stepper page."""
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
    """A sample image for the stepper: a drawn digit, else (if that fails) a ramp."""
    try:
        return sample_image(channels, height, width, kind="digit")
    except (SpecError, ValueError):
        pass
    ramp = np.add.outer(np.arange(height), np.arange(width)) / max(height + width - 2, 1)
    return np.broadcast_to(ramp, (channels, height, width)).astype(np.float32)


def _conv_weights(net: NetSpec, index: int) -> np.ndarray:
    """The seeded model's weights of conv layer ``index`` (built up to that layer only)."""
    from cnnviz.net import build_model

    model = build_model(NetSpec(net.input_shape, net.layers[: index + 1]), seed=0)
    return model.layers[index].weight.detach().numpy().copy()  # (F, C/groups, kh, kw)


def layer_editor(current: Current) -> None:
    """One expander per layer (open when it has a problem); stores the edited drafts."""
    drafts = layers()
    updated: list[dict[str, Any]] = []
    for index, draft in enumerate(drafts):
        row = current.summary_rows[index]
        info = current.summary.layers[row] if row is not None else None
        problems = current.layer_problems[index]
        spec = current.specs[index]
        label = info.label if info is not None else TORCH_NAMES[draft["type"]]
        shape = shape_text(info.output_shape, sep="×") if info is not None else "?"
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
            new = edit_fields(draft)
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
                on_click=on_move,
                args=(layer_id, -1),
                disabled=index == 0,
            )
            buttons[1].button(
                "",
                icon=":material/arrow_downward:",
                key=f"build_{layer_id}_down",
                help=tr("build.move_down"),
                on_click=on_move,
                args=(layer_id, 1),
                disabled=index == len(drafts) - 1,
            )
            buttons[2].button(
                "",
                icon=":material/add:",
                key=f"build_{layer_id}_insert",
                help=tr(
                    "build.insert_above",
                    kind=kind_label(st.session_state.get("build_new_kind", "conv2d")),
                ),
                on_click=on_insert_above,
                args=(layer_id,),
            )
            buttons[3].button(
                "",
                icon=":material/content_copy:",
                key=f"build_{layer_id}_duplicate",
                help=tr("build.duplicate"),
                on_click=on_duplicate,
                args=(layer_id,),
            )
            buttons[4].button(
                "",
                icon=":material/delete:",
                key=f"build_{layer_id}_remove",
                help=tr("build.remove"),
                on_click=on_remove,
                args=(layer_id,),
            )
            if draft["type"] in STEPPER_PAGES:
                _stepper_button(current, index, draft, buttons[5])
        updated.append(new)
    st.session_state["build_layers"] = updated
