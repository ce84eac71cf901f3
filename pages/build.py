"""Build a CNN: start from a preset or from scratch, edit layers in place, see every shape.

Reads the layer drafts (plain dicts in the JSON schema's layer format, kept in session state with
a stable id each so widget keys survive reordering) -> builds specs with ``cnnviz.schema`` ->
``cnnviz.shapes.infer`` -> renders the table, totals, diagram, problems on their layers and the
exports. The last valid network is ``st.session_state["net"]`` (what the Train page trains).

The page's parts live in ``pages/_build_*.py``: ``_build_state`` (drafts, callbacks),
``_build_fields`` (one layer's settings), ``_build_network`` (drafts -> specs, problems, summary),
``_build_controls`` (start, input, add a layer), ``_build_summary`` (status, totals, diagram,
table), ``_build_layers`` (the layer editor) and ``_build_export`` (code, JSON, share link).
"""

from __future__ import annotations

import streamlit as st

from pages._build_controls import add_layer_controls, input_controls, start_controls
from pages._build_export import exports
from pages._build_fields import sync_from_widgets
from pages._build_layers import layer_editor
from pages._build_network import current_network, publish
from pages._build_state import init_state, layers, purge_stale_widgets
from pages._build_summary import show_diagram, show_messages, show_metrics, show_status, show_table
from pages._ui import tr

# Session state first: drop stale widget values, load the network, apply this run's edits.
purge_stale_widgets()
init_state()
sync_from_widgets()

st.title(tr("build.title"))
st.caption(tr("build.intro"))
show_messages()

top_left, top_right = st.columns([3, 2])
with top_left:
    start_controls()
with top_right, st.container(border=True):
    input_shape = input_controls()

current = current_network(layers(), input_shape)
publish(current)
show_status(current)
show_metrics(current)
show_diagram(current)
# The table first and full width: its formula column is what the page teaches.
show_table(current)

st.subheader(tr("build.layers"))
layer_editor(current)
add_layer_controls()

exports(current)
