"""Build a CNN: start from a preset or from scratch, edit layers in place, see every shape.

Reads the layer drafts (plain dicts in the JSON schema's layer format, kept in session state with
a stable id each so widget keys survive reordering) -> builds specs with ``cnnviz.net.schema`` ->
``cnnviz.net.shapes.infer`` -> renders the diagram, totals, table, problems on their layers and
the exports. The last valid network is ``st.session_state["net"]`` (what the Train page trains).

On a 1024x576 projector the row that picks a network (famous network, Load, Scratch, input size)
and the diagram it drives fit the screen together; the table of shapes and formulas follows.

The page's parts live in this folder: ``state`` (drafts, callbacks), ``fields`` (one layer's
settings), ``network`` (drafts -> specs, problems, summary), ``controls`` (start, input, add a
layer), ``summary`` (status, totals, diagram, table), ``layers`` (the layer editor) and ``export``
(code, JSON, share link). Messages for this run are flash messages (``pages.shared.flash``).

The famous-network picker also offers the U-Net (segmentation), which is not sequential: picking
it shows the U-Net view instead of the layer editor (``unet_state``: its settings and session
keys; ``unet_view``: U diagram, mismatch and proposed sizes, totals, table, steppers, the way to
/beyond; ``unet_export``: its code, JSON and share link, ``?unet=``). The U-Net never becomes
``"net"``; picking another preset (or Scratch) returns to the layer editor as it was left.
"""

from __future__ import annotations

import streamlit as st

from pages.build.controls import add_layer_controls, input_controls, preset_about, start_controls
from pages.build.export import exports
from pages.build.fields import sync_from_widgets
from pages.build.layers import layer_editor
from pages.build.network import current_network, publish
from pages.build.state import init_state, layers
from pages.build.summary import show_diagram, show_metrics, show_status, show_table
from pages.build.unet_export import take_unet_link, unet_exports
from pages.build.unet_state import unet_controls, unet_mode
from pages.build.unet_view import unet_view
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router
from pages.shared.unet_handoff import BUILD_PRESET, BUILD_UNET, OPEN_UNET, UNET_CHOICE
from pages.shared.widgets import set_defaults

use_router()

# Session state first: load the network, apply this run's edits, first-visit widget values.
init_state()
sync_from_widgets()
set_defaults({"build_every_layer": False, "build_general_formula": False})
linked_unet = take_unet_link()  # a ?unet= share link opens the U-Net view
if linked_unet is not None:
    st.session_state[BUILD_UNET] = linked_unet
if linked_unet is not None or st.session_state.pop(OPEN_UNET, False):  # or /beyond sent one
    st.session_state[BUILD_PRESET] = UNET_CHOICE

st.title(tr("build.title"))
st.caption(tr("build.unet.caption") if unet_mode() else tr("build.intro"))
show_flash("build")

# One row picks the network; the diagram it drives comes right under it.
row = st.columns([2.6, 1.35, 1.35, 2.2], vertical_alignment="bottom")
preset = start_controls(row[:3])
if preset == UNET_CHOICE:
    unet = unet_controls(row[3])
    unet_view(unet)
    unet_exports(unet)
else:
    with row[3]:
        input_shape = input_controls()
    current = current_network(layers(), input_shape)
    publish(current)
    show_diagram(current)
    show_status(current)
    show_metrics(current)
    preset_about(preset)
    # The table, full width and wrapping: its two formula columns are what the page teaches.
    show_table(current)

    st.subheader(tr("build.layers"))
    layer_editor(current)
    add_layer_controls()

    exports(current)
