"""The Overfitting lab's "Compare runs" tab: overlaid curves, a summary table, managing the run
history (rename, re-run, load setup, delete) and CSV/JSON export and JSON import. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.lab import (
    HistoryError,
    LabSetup,
    RunRecord,
    delete_run,
    export_csv,
    export_json,
    import_json,
    rename_run,
    settings_diff,
    summary_rows,
)
from cnnviz.viz import CurveSeries, curves_figure, legend_texts
from pages.lab.jobs import start_single
from pages.lab.state import busy, setup_widgets
from pages.shared.charts import CHART_CONFIG
from pages.shared.flash import flash
from pages.shared.runs import add_run, runs, set_runs
from pages.shared.session import lang, tr
from pages.shared.widgets import set_values

__all__ = ["compare_tab"]


# ------------------------------------------------------------------------ manage-box callbacks


def _picked() -> int:
    """The run chosen in the manage box (read in callbacks: the selection may just have changed)."""
    index = st.session_state.get("lab_pick")
    return index if isinstance(index, int) and 0 <= index < len(runs()) else len(runs()) - 1


def _rename() -> None:
    index = _picked()
    try:
        set_runs(rename_run(runs(), index, st.session_state.get("lab_new_name", "")))
    except HistoryError as exc:
        flash("lab", "error", exc.text(lang()))


def _delete() -> None:
    index = _picked()
    try:
        set_runs(delete_run(runs(), index))
    except HistoryError as exc:
        flash("lab", "error", exc.text(lang()))


def _rerun() -> None:
    run = runs()[_picked()]
    if run.data_cfg is None or run.data_cfg.name == "upload":
        flash("lab", "warning", tr("lab.cmp.no_upload_rerun"))
        return
    setup = LabSetup.from_dict(run.lab_setup) if run.lab_setup else None
    start_single(
        run.net,
        run.data_cfg,
        run.cfg,
        tr("lab.name.rerun", name=run.name[:40]),
        setup=setup,
        scenario=run.scenario,
    )


def _load_setup() -> None:
    run = runs()[_picked()]
    if not run.lab_setup:
        flash("lab", "info", tr("lab.cmp.no_setup"))
        return
    set_values(setup_widgets(LabSetup.from_dict(run.lab_setup)))
    flash("lab", "success", tr("lab.cmp.loaded", name=run.name))


def _import() -> None:
    """The import uploader's callback: append the runs of the uploaded JSON export, once per file.

    A callback runs before the page is drawn, so the list and the curves show the imported runs
    in this very run (the message is a flash at the top of the page).
    """
    uploaded = st.session_state.get("lab_upload")
    seen = st.session_state.setdefault("lab_imported_ids", set())
    if uploaded is None or uploaded.file_id in seen:
        return
    seen.add(uploaded.file_id)
    try:
        records = import_json(uploaded.getvalue())
    except HistoryError as exc:
        flash("lab", "error", exc.text(lang()))
        return
    for record in records:
        add_run(record)
    flash("lab", "success", tr("lab.cmp.imported", count=len(records)))


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


def _overlay(picked: list[RunRecord]) -> None:
    diffs = settings_diff(picked, lang())
    legends = legend_texts([r.name for r in picked], diffs)
    series = [CurveSeries(r.name, legends[r.name], r.epochs) for r in picked]
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
            format_func=lambda i: all_runs[i].name,
            index=len(all_runs) - 1,
            key="lab_pick",
        )
        running = busy()
        name_col, rename_col = st.columns([3, 1])
        name_col.text_input(tr("lab.cmp.new_name"), key="lab_new_name", max_chars=60)
        rename_col.button(tr("lab.cmp.rename"), key="lab_rename", on_click=_rename)
        b1, b2, b3 = st.columns(3)
        b1.button(
            tr("lab.cmp.rerun"),
            key="lab_rerun",
            on_click=_rerun,
            disabled=running,
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


def _export_box(finished: list[RunRecord]) -> None:
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
        st.file_uploader(tr("lab.cmp.import"), type=["json"], key="lab_upload", on_change=_import)


def compare_tab() -> None:
    """Runs with curves overlaid and tabulated; the history's manage and export boxes."""
    st.caption(tr("lab.cmp.intro"))
    finished = [r for r in runs() if r.epochs]
    if not finished:
        st.info(tr("lab.cmp.empty"))
    else:
        selected = _selected_names([r.name for r in finished])
        picked = [r for r in finished if r.name in selected]
        if picked:
            _overlay(picked)
        _manage_box()
    _export_box(finished)
