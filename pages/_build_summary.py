"""Build page: what the network does to the data: status, totals, diagram and the shape table.

Never a page. Reads a ``pages._build_network.Current`` and renders it with ``cnnviz.viz_net``'s
figures; the table's formula column (every output size with the numbers filled in) is the lesson.
Widget keys: ``build_diagram``, ``build_every_layer``, ``build_table``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.viz_net import network_diagram, params_bar
from pages._build_network import Current
from pages._build_state import TORCH_NAMES, layers
from pages._ui import STATIC_CONFIG, lang, tr

__all__ = [
    "shape_text",
    "show_diagram",
    "show_messages",
    "show_metrics",
    "show_status",
    "show_table",
]


def shape_text(shape: tuple[int, ...] | None) -> str:
    """A shape as "8×28×28" ("?" when unknown)."""
    if shape is None:
        return "?"
    return "×".join(map(str, shape))


def _bytes_text(size: int) -> str:
    if size >= 1e6:
        return f"{size / 1e6:,.1f} MB"
    return f"{size / 1e3:,.1f} KB"


def show_messages() -> None:
    """Messages left for this run: a restored share link, or why a link could not be restored."""
    flash = st.session_state.pop("build_flash", None)
    if flash:
        getattr(st, flash[0])(tr(flash[1], **flash[2]))
    link_problems = st.session_state.pop("build_link_problems", None)
    if link_problems:
        st.error(tr("build.link_bad"), icon="⚠️")
        for problem in link_problems:
            st.error(problem.text(lang()))


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


def show_diagram(current: Current) -> None:
    """The network as blocks (one per stage, or every layer when the toggle is on)."""
    st.plotly_chart(
        network_diagram(
            current.summary, lang(), compact=not st.session_state.get("build_every_layer", False)
        ),
        width="stretch",
        config=STATIC_CONFIG,
        key="build_diagram",
    )
    st.toggle(tr("build.every_layer"), key="build_every_layer", help=tr("build.every_layer_help"))


def _table(current: Current) -> pd.DataFrame:
    """One row per layer (row 0: the input), columns titled in the session's language."""
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
            "shape": shape_text(current.summary.input_shape),
            "params": 0,
            "mult_adds": 0,
            "formula": "",
        }
    ]
    for index, draft in enumerate(layers()):
        row = current.summary_rows[index]
        info = current.summary.layers[row] if row is not None else None
        flag = " ⚠️" if current.layer_problems[index] else ""
        rows.append(
            {
                "number": f"{index + 1}{flag}",
                "layer": info.label if info else TORCH_NAMES[draft["type"]],
                "shape": shape_text(info.output_shape) if info else "?",
                "params": info.params if info else 0,
                "mult_adds": info.mult_adds if info else 0,
                "formula": "   ·   ".join(info.formulas) if info else "",
            }
        )
    return pd.DataFrame(rows).rename(columns=columns)


def show_table(current: Current) -> None:
    """The table of every layer's shape, parameters, mult-adds and formula; parameters chart."""
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
            tr("build.col_params"): st.column_config.NumberColumn(
                format="localized", width="small"
            ),
            tr("build.col_mult_adds"): st.column_config.NumberColumn(
                format="localized", width="small"
            ),
            tr("build.col_formula"): st.column_config.TextColumn(width="large"),
        },
        key="build_table",
    )
    with st.expander(tr("build.params_chart")):
        st.plotly_chart(params_bar(current.summary, lang()), width="stretch", config=STATIC_CONFIG)
