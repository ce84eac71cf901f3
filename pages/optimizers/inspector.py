"""The Optimizers page, part 3: the step inspector. Not a page.

Pick a racer and a step: the step is drawn as arrows on the contour (the optimizer's real move
beside plain SGD's), its update is written out line by line with the numbers read from the
optimizer's state, and the page says where PyTorch's form differs from the textbook's.
"""

from __future__ import annotations

import math

import streamlit as st

from cnnviz.concepts import RaceResult
from cnnviz.i18n import t
from cnnviz.viz import formula_rows
from pages.optimizers import cache
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["inspector_ui"]


def _source_text(source: str) -> str:
    if source.startswith("state:"):
        return tr("opt.inspect.from_state", name=source.split(":", 1)[1])
    return tr(f"opt.inspect.from_{source}")


def inspector_ui(result: RaceResult | None) -> None:
    """Choose a racer and a step; draw the step and write its update out."""
    st.markdown(tr("opt.inspect.intro"))
    if result is None:
        st.info(tr("opt.inspect.none"))
        return
    race = result.race
    kinds = [racer.kind for racer in race.racers]
    if st.session_state.get("opt_w_inspect") not in kinds:
        st.session_state["opt_w_inspect"] = kinds[-1]
    language = lang()
    cols = st.columns([1, 3])
    kind = cols[0].selectbox(
        tr("opt.inspect.racer"),
        kinds,
        key="opt_w_inspect",
        persist_state=PERSIST,
        format_func=lambda k, language=language: t(f"opt.short.{k}", language),
    )
    index = kinds.index(kind)
    taken = result.steps_run(index)
    if taken < 1:
        st.warning(tr("opt.inspect.no_step", name=tr(f"opt.short.{kind}")))
        return
    step_key = "opt_w_inspect_step"
    st.session_state[step_key] = int(min(max(1, st.session_state.get(step_key, 1)), taken))
    if taken > 1:
        cols[1].slider(tr("opt.inspect.step"), 1, taken, key=step_key, persist_state=PERSIST)
    step = int(st.session_state[step_key])
    detail = cache.step_detail(race, index, step)
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(
            cache.step_chart(race, index, step, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key="opt_step_chart",
        )
    with right:
        st.markdown(tr(f"opt.formula.{kind}"))
        for row in formula_rows(detail):
            st.latex(row.latex)
            st.caption(_source_text(row.source))
        gap = max(abs(a - b) for a, b in zip(detail.predicted, detail.after, strict=True))
        where = {"x": f"{detail.after[0]:.6g}", "y": f"{detail.after[1]:.6g}"}
        if gap == 0.0:
            st.success(tr("opt.inspect.check_exact", **where), icon="✅")
        else:
            gap_text = f"{gap:.1e}" if math.isfinite(gap) else "∞"
            st.success(tr("opt.inspect.check", gap=gap_text, **where), icon="✅")
    with st.expander(tr("opt.inspect.conventions"), expanded=kind in ("momentum", "nesterov")):
        st.markdown(tr(f"opt.convention.{kind}"))
