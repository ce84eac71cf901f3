"""The picture the /inside page looks at: a validation image, a drawing or an uploaded file.

A picture of another size or channel count is resized or converted by
``cnnviz.inside.prepare_picture`` and the page says so. Never a page itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from cnnviz.data import ImageError, decode_image
from cnnviz.i18n import Message
from cnnviz.inside import InsideNet, prepare_picture
from cnnviz.viz import PALETTE, picture_rgb
from pages.inside.common import class_labels, formatter, tensor_key
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["Picture", "choose_picture"]

_KINDS = ("validation", "draw", "upload")


@dataclass(frozen=True, eq=False)
class Picture:
    """The network's input ``x`` (C, H, W), its pixels (H, W, 3) uint8, its true class when
    known, a fingerprint for memo keys and a short description."""

    x: torch.Tensor
    rgb: np.ndarray
    true_class: int | None
    key: str
    label: str


def _drawing() -> np.ndarray | None:
    """The canvas's pixels once something is drawn (None without a browser session)."""
    st.caption(tr("inside.picture.draw_help"))
    try:
        from streamlit_drawable_canvas import st_canvas  # optional component

        result = st_canvas(
            stroke_width=18,
            stroke_color=PALETTE.canvas_ink,
            background_color=PALETTE.canvas_background,
            height=224,
            width=224,
            drawing_mode="freedraw",
            return_image_data=True,
            key="inside_canvas",
        )
        data = result.image_data
        if data is not None and np.asarray(data)[..., :3].max() > 0:
            return np.asarray(data)
    except Exception:  # the canvas component needs a browser session
        st.caption(tr("inside.picture.canvas_unavailable"))
    return None


def _upload() -> np.ndarray | None:
    upload = st.file_uploader(
        tr("inside.picture.upload"),
        type=["png", "jpg", "jpeg", "bmp", "gif", "webp"],
        key="inside_w_picture",
    )
    if upload is None:
        return None
    try:
        return decode_image(upload.getvalue(), background=0)
    except ImageError as exc:
        st.error(exc.text(lang()), icon="⚠️")
        return None


def _own_picture(
    inside: InsideNet, pixels: np.ndarray, drawn: bool, label: str
) -> tuple[Picture, list[Message]]:
    x, notes = prepare_picture(pixels, inside, drawn=drawn)
    rgb = picture_rgb(inside.to_pixels(x).numpy())
    return Picture(x, rgb, None, tensor_key(x), label), notes


def choose_picture(inside: InsideNet) -> Picture | None:
    """The picture chooser; returns the chosen picture (None until there is one)."""
    data = inside.data
    kinds = _KINDS if data is not None else _KINDS[1:]
    set_defaults({"inside_picture_kind": kinds[0], "inside_val_index": 0})
    if st.session_state["inside_picture_kind"] not in kinds:
        st.session_state["inside_picture_kind"] = kinds[0]
    kind = st.segmented_control(
        tr("inside.picture.kind"),
        kinds,
        format_func=formatter("inside.picture.kind."),
        key="inside_picture_kind",
        required=True,
        persist_state=PERSIST,
    )
    if kind == "validation" and data is not None:
        last = len(data.val_y) - 1
        index = int(
            st.number_input(
                tr("inside.picture.index", last=last),
                min_value=0,
                max_value=last,
                step=1,
                key="inside_val_index",
                persist_state=PERSIST,
            )
        )
        index = min(max(index, 0), last)  # the browser's limits are re-checked here
        x = data.val_x[index]
        true_class = int(data.val_y[index])
        name = class_labels(inside)[true_class]
        rgb = picture_rgb(inside.to_pixels(x).numpy())
        label = tr("inside.picture.val_label", index=index, label=name)
        return Picture(x, rgb, true_class, f"val{index}:{tensor_key(x)}", label)
    pixels = _drawing() if kind == "draw" else _upload()
    if pixels is None:
        st.info(tr(f"inside.picture.need_{kind}"), icon="✏️")
        return None
    label = tr(f"inside.picture.{kind}_label")
    picture, notes = _own_picture(inside, pixels, kind == "draw", label)
    for note in notes:
        st.info(note.text(lang()), icon="↔️")
    return picture
