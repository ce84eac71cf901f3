"""The Overfitting lab's "Compare runs" tab: overlaid curves, a summary table, managing the run
history (rename, re-run, load setup, delete) and CSV/JSON export and JSON import. Not a page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.history import (
    HistoryError,
    delete_run,
    export_csv,
    export_json,
    import_json,
    rename_run,
    settings_diff,
    summary_rows,
    unique_name,
)
from cnnviz.lab_setup import LabSetup
from cnnviz.viz_lab import CurveSeries, curves_figure, legend_texts
from pages._lab_jobs import start_single
from pages._lab_state import active_job, flash, put_setup, runs
from pages._ui import CHART_CONFIG, lang, tr

__all__ = ["compare_tab"]


# ------------------------------------------------------------------------ manage-box callbacks


def _picked() -> int:
    """The run chosen in the manage box (read in callbacks: the selection may just have changed)."""
    index = st.session_state.get("lab_pick")
    return index if isinstance(index, int) and 0 <= index < len(runs()) else len(runs()) - 1


def _rename() -> None:
    index = _picked()
    try:
        st.session_state["runs"] = rename_run(
            runs(), index, st.session_state.get("lab_new_name", "")
        )
    except HistoryError as exc:
        flash("error", exc.text(lang()))


def _delete() -> None:
    index = _picked()
    try:
        st.session_state["runs"] = delete_run(runs(), index)
    except HistoryError as exc:
        flash("error", exc.text(lang()))


def _rerun() -> None:
    run = runs()[_picked()]
    if run["data_cfg"] is None or run["data_cfg"].name == "upload":
        flash("warning", tr("lab.cmp.no_upload_rerun"))
        return
    setup = LabSetup.from_dict(run["lab_setup"]) if run.get("lab_setup") else None
    start_single(
        run["net"],
        run["data_cfg"],
        run["cfg"],
        tr("lab.name.rerun", name=run["name"][:40]),
        setup=setup,
        scenario=run.get("scenario"),
    )


def _load_setup() -> None:
    run = runs()[_picked()]
    if not run.get("lab_setup"):
        flash("info", tr("lab.cmp.no_setup"))
        return
    put_setup(LabSetup.from_dict(run["lab_setup"]))
    flash("success", tr("lab.cmp.loaded", name=run["name"]))


def _import(uploaded: Any) -> None:
    """Append the runs of an uploaded JSON export, once per uploaded file."""
    seen = st.session_state.setdefault("lab_imported_ids", set())
    if uploaded is None or uploaded.file_id in seen:
        return
    seen.add(uploaded.file_id)
    try:
        records = import_json(uploaded.getvalue())
    except HistoryError as exc:
        st.error(exc.text(lang()))
        return
    for record in records:
        record.name = unique_name(runs(), record.name)
        runs().append(record.to_dict())
    st.success(tr("lab.cmp.imported", count=len(records)))


# ------------------------------------------------------------------------------------ the tab


def _selected_names(names: list[str]) -> list[str]:
    """The runs to overlay: the user's choice; runs that appeared since the last visit join it."""
    known = st.session_state.get("lab_cmp_known", set())
    chosen = st.session_state.get("lab_cmp_sel")
    if chosen is None:
        chosen, known = names[-3:], set(names)
    fresh = [n for n in names if n not in known]
    st.session_state["lab_cmp_known"] = set(names)
    kept = [n for n in chosen if n in names] + fresh
    st.session_state["lab_cmp_sel"] = kept or names[-1:]
    return st.multiselect(tr("lab.cmp.select"), names, key="lab_cmp_sel")


def _overlay(picked: list[dict[str, Any]]) -> None:
    diffs = settings_diff(picked, lang())
    legends = legend_texts([r["name"] for r in picked], diffs)
    series = [CurveSeries(r["name"], legends[r["name"]], r["epochs"]) for r in picked]
    st.plotly_chart(
        curves_figure(series, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="lab_compare_chart",
    )
    st.dataframe(summary_rows(picked, diffs, lang()), hide_index=True, width="stretch")


def _manage_box() -> None:
    with st.expander(tr("lab.cmp.manage")):
        all_runs = runs()
        if st.session_state.get("lab_pick") not in range(len(all_runs)):
            st.session_state.pop("lab_pick", None)  # the run was deleted
        st.selectbox(
            tr("lab.cmp.pick"),
            range(len(all_runs)),
            format_func=lambda i: all_runs[i]["name"],
            index=len(all_runs) - 1,
            key="lab_pick",
        )
        busy = active_job() is not None
        name_col, rename_col = st.columns([3, 1])
        name_col.text_input(tr("lab.cmp.new_name"), key="lab_new_name", max_chars=60)
        rename_col.button(tr("lab.cmp.rename"), key="lab_rename", on_click=_rename)
        b1, b2, b3 = st.columns(3)
        b1.button(
            tr("lab.cmp.rerun"),
            key="lab_rerun",
            on_click=_rerun,
            disabled=busy,
            width="stretch",
        )
        b2.button(
            tr("lab.cmp.load_setup"),
            key="lab_load",
            on_click=_load_setup,
            width="stretch",
        )
        b3.button(
            tr("lab.cmp.delete"),
            key="lab_delete",
            on_click=_delete,
            width="stretch",
        )


def _export_box(finished: list[dict[str, Any]]) -> None:
    with st.expander(tr("lab.cmp.export")):
        if finished:
            c1, c2 = st.columns(2)
            c1.download_button(
                tr("lab.cmp.export_csv"),
                export_csv(finished),
                file_name="cnnviz-runs.csv",
                mime="text/csv",
                key="lab_csv",
            )
            c2.download_button(
                tr("lab.cmp.export_json"),
                export_json(finished),
                file_name="cnnviz-runs.json",
                mime="application/json",
                key="lab_json",
            )
        uploaded = st.file_uploader(tr("lab.cmp.import"), type=["json"], key="lab_upload")
        _import(uploaded)


def compare_tab() -> None:
    """Runs with curves overlaid and tabulated; the history's manage and export boxes."""
    st.caption(tr("lab.cmp.intro"))
    finished = [r for r in runs() if r.get("epochs")]
    if not finished:
        st.info(tr("lab.cmp.empty"))
    else:
        selected = _selected_names([r["name"] for r in finished])
        picked = [r for r in finished if r["name"] in selected]
        if picked:
            _overlay(picked)
        _manage_box()
    _export_box(finished)
