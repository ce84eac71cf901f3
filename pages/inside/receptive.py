"""/inside, section "Receptive field": click a cell of a feature map; its theoretical receptive
field (the Build page's shape inference) is drawn on the picture, and its effective receptive
field (the gradient of the cell with respect to the input, averaged over validation pictures)
next to it. Never a page itself.
"""

from __future__ import annotations

import streamlit as st
import torch

from cnnviz.inside import (
    ERF_IMAGES,
    InsideNet,
    SpatialLayer,
    effective_field,
    field_box,
    layer_output,
    mass_inside,
    spatial_layers,
)
from cnnviz.viz import cell_map_figure, draw_box, heat_rgb
from pages.inside.common import layer_choice, memo, notice, page_link, show_picture
from pages.inside.picture import Picture
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["receptive_section"]


def _clicked() -> None:
    """A click on the map selects that cell (the markers carry ``[row, col]``)."""
    event = st.session_state.get("inside_rf_map")
    points = (event or {}).get("selection", {}).get("points", [])
    for point in points:
        # only the click layer carries customdata; its marker sits at x = column, y = row
        if point.get("customdata") is not None and "x" in point and "y" in point:
            st.session_state["inside_rf_row"] = round(float(point["y"]))
            st.session_state["inside_rf_col"] = round(float(point["x"]))
            return


def _cell_inputs(layer: SpatialLayer) -> tuple[int, int]:
    """Row and column of the chosen cell (a click sets them too), kept inside the map."""
    set_defaults({"inside_rf_row": layer.height // 2, "inside_rf_col": layer.width // 2})
    for key, size in (("inside_rf_row", layer.height), ("inside_rf_col", layer.width)):
        if not 0 <= int(st.session_state[key]) < size:
            st.session_state[key] = size // 2  # another layer: another map size
    cols = st.columns(2)
    row = cols[0].number_input(
        tr("inside.rf.row", last=layer.height - 1),
        0,
        layer.height - 1,
        key="inside_rf_row",
        persist_state=PERSIST,
    )
    col = cols[1].number_input(
        tr("inside.rf.col", last=layer.width - 1),
        0,
        layer.width - 1,
        key="inside_rf_col",
        persist_state=PERSIST,
    )
    return int(row), int(col)


def receptive_section(token: str, inside: InsideNet, picture: Picture) -> None:
    """Layer, channel and cell; the map to click; the two fields; what to notice."""
    st.subheader(tr("inside.rf.title"))
    layers = spatial_layers(inside.net)
    if not layers:
        st.warning(tr("inside.no_spatial"), icon="⚠️")
        return
    top = st.columns([2, 1])
    with top[0]:
        layer = layer_choice(tr("inside.rf.layer"), layers, "inside_rf_layer")
    with top[1]:
        set_defaults({"inside_rf_channel": 0})
        if not 0 <= st.session_state["inside_rf_channel"] < layer.channels:
            st.session_state["inside_rf_channel"] = 0
        channel = int(
            st.number_input(
                tr("inside.filters.channel", last=layer.channels - 1),
                0,
                layer.channels - 1,
                key="inside_rf_channel",
                persist_state=PERSIST,
            )
        )
    row, col = _cell_inputs(layer)
    with torch.no_grad():
        maps = layer_output(inside.model.eval(), layer.index, picture.x[None])[0, channel]
    box = field_box(inside.net, layer.index, row, col)
    data = inside.data
    images = data.val_x[:ERF_IMAGES] if data is not None else picture.x[None]
    field = memo(
        ("erf", token, layer.index, channel, row, col, data is None and picture.key),
        lambda: effective_field(inside.model, layer.index, channel, row, col, images),
    )
    left, middle, right = st.columns([3, 2, 2])
    with left:
        st.plotly_chart(
            cell_map_figure(
                maps.numpy(),
                tr("inside.rf.map_title", layer=layer.name, channel=channel),
                (row, col),
                lang(),
            ),
            width="stretch",
            config=STATIC_CONFIG,
            key="inside_rf_map",
            on_select=_clicked,
            selection_mode="points",
        )
        st.caption(tr("inside.rf.click_help"))
    edges = (box.top, box.left, box.bottom, box.right)
    with middle:
        st.markdown(f"**{tr('inside.rf.theoretical')}**")
        show_picture(
            draw_box(picture.rgb, edges),
            tr(
                "inside.rf.box_caption",
                size=f"{box.size[0]}x{box.size[1]}",
                jump=f"{box.jump[0]}x{box.jump[1]}",
                top=box.top,
                left=box.left,
                bottom=box.bottom,
                right=box.right,
            ),
            f"receptive-field-l{layer.index + 1}-r{row}c{col}.png",
            "inside_png_rf",
        )
    with right:
        st.markdown(f"**{tr('inside.rf.effective')}**")
        count = len(images)
        share = mass_inside(field, box)
        key = "inside.rf.erf_caption" if data is not None else "inside.rf.erf_caption_one"
        show_picture(
            draw_box(heat_rgb(field), edges),
            tr(key, count=count, share=f"{100 * share:.1f}"),
            f"effective-field-l{layer.index + 1}-r{row}c{col}.png",
            "inside_png_erf",
        )
    notice("inside.rf.notice", size=f"{box.size[0]}x{box.size[1]}")
    page_link("build", tr("inside.rf.build_link"))
