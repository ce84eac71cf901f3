"""Build page: what the network does to the data: status, totals, diagram and the shape table.

Never a page. Reads a ``pages.build.network.Current`` and renders it with ``cnnviz.viz.net``'s
figures; the table's formula column (every output size with the numbers filled in) is the lesson.
Totals are written compactly with the exact number on hover; the table is static and wraps, with
the output-size formula and the parameter formula in separate columns. Widget keys:
``build_diagram``, ``build_every_layer`` and ``build_general_formula`` (kept across page
switches).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.net import shape_text
from cnnviz.viz import format_compact, network_diagram, params_bar
from pages.build.network import Current
from pages.build.state import TORCH_NAMES, layers
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = [
    "show_diagram",
    "show_metrics",
    "show_status",
    "show_table",
]


def _bytes_text(size: int) -> str:
    if size >= 1e6:
        return f"{size / 1e6:,.1f} MB"
    return f"{size / 1e3:,.1f} KB"


def show_status(current: Current) -> None:
    """The verdict: valid (with its parameter count), or the layers with problems and why."""
    if current.ok and current.net is not None:
        st.success(tr("build.valid", params=f"{current.summary.total_params:,}"), icon="✅")
        return
    bad_layers = [str(i + 1) for i, problems in enumerate(current.layer_problems) if problems]
    if bad_layers:
        st.error(tr("build.errors_on_layers", layers=", ".join(bad_layers)), icon="⚠️")
    for problem in current.net_problems:
        st.error(problem.text(lang()), icon="⚠️")
    st.info(tr("build.train_uses_last_valid"), icon="ℹ️")


def show_metrics(current: Current) -> None:
    """Totals, written compactly (``60.97 M``) so they fit a projector's column; the exact
    number is in each metric's hover help. "—" while the network has problems (incomplete)."""
    summary = current.summary
    rf = summary.receptive_field
    exact = [summary.total_params, summary.total_mult_adds, summary.total_activation_bytes]
    values = [
        format_compact(summary.total_params),
        format_compact(summary.total_mult_adds),
        _bytes_text(summary.total_activation_bytes),
        f"{rf[0]}×{rf[1]} px" if rf else "—",
    ]
    if not current.ok:
        values = ["—"] * 4
    names = ["params", "mult_adds", "memory", "rf"]
    for index, (column, name, value) in enumerate(zip(st.columns(4), names, values, strict=True)):
        help_text = tr(f"build.metric_{name}_help")
        if current.ok and index < len(exact):
            help_text = tr("build.metric_exact", exact=f"{exact[index]:,}") + "\n\n" + help_text
        column.metric(tr(f"build.metric_{name}"), value, help=help_text)


def show_diagram(current: Current) -> None:
    """The network as blocks (one per stage, or every layer when the toggle is on)."""
    st.plotly_chart(
        network_diagram(current.summary, lang(), compact=not st.session_state["build_every_layer"]),
        width="stretch",
        config=STATIC_CONFIG,
        key="build_diagram",
    )


def _lines(formulas: list[str]) -> str:
    """Formula lines for one table cell (its text is Markdown: one line each, ``*`` kept)."""
    return "<br>".join(line.replace("*", "\\*") for line in formulas)


def _table(current: Current, general: bool) -> pd.DataFrame:
    """One row per layer (row 0: the input), columns titled in the session's language; the
    output-size formula (familiar, or the ``general`` dilated form) and the parameter formula
    in separate columns."""
    columns = {
        "number": tr("build.col_number").replace("#", "\\#"),  # a Markdown header otherwise
        "layer": tr("build.col_layer"),
        "shape": tr("build.col_shape"),
        "shape_formula": tr("build.col_shape_formula"),
        "params": tr("build.col_params"),
        "param_formula": tr("build.col_param_formula"),
        "mult_adds": tr("build.col_mult_adds"),
    }
    rows = [
        {
            "number": "0",
            "layer": tr("viz.net.input"),
            "shape": shape_text(current.summary.input_shape, sep="×"),
            "shape_formula": "",
            "params": "0",
            "param_formula": "",
            "mult_adds": "0",
        }
    ]
    for index, draft in enumerate(layers()):
        row = current.summary_rows[index]
        info = current.summary.layers[row] if row is not None else None
        flag = " ⚠️" if current.layer_problems[index] else ""
        shape_formulas = (
            (info.general_shape_formulas if general else info.shape_formulas) if info else []
        )
        rows.append(
            {
                "number": f"{index + 1}{flag}",
                "layer": info.label if info else TORCH_NAMES[draft["type"]],
                "shape": shape_text(info.output_shape, sep="×") if info else "?",
                "shape_formula": _lines(shape_formulas),
                "params": f"{info.params:,}" if info else "0",
                "param_formula": _lines(info.param_formulas) if info else "",
                "mult_adds": f"{info.mult_adds:,}" if info else "0",
            }
        )
    return pd.DataFrame(rows).rename(columns=columns)


def show_table(current: Current) -> None:
    """The table of every layer's shape, parameters, mult-adds and both formulas (a static table
    that wraps, so no formula is ever cut); the general form one click away; parameters chart."""
    head, toggles = st.columns([3, 2], vertical_alignment="bottom")
    head.subheader(tr("build.table"))
    with toggles:
        general = st.toggle(
            tr("build.general_formula"),
            key="build_general_formula",
            persist_state=PERSIST,
            help=tr("build.general_formula_help"),
        )
    st.table(_table(current, general), hide_index=True)
    st.toggle(
        tr("build.every_layer"),
        key="build_every_layer",
        persist_state=PERSIST,
        help=tr("build.every_layer_help"),
    )
    with st.expander(tr("build.params_chart")):
        st.plotly_chart(params_bar(current.summary, lang()), width="stretch", config=STATIC_CONFIG)
