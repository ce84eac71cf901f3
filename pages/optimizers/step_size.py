"""The Optimizers page, part 4: too large and too small. Not a page.

Plain SGD on the quadratic bowl with a learning-rate slider; the threshold ``2 / lambda_max`` and
the per-step factors are filled in with the learner's numbers, beside what the real run did.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import Surface
from cnnviz.viz import race_figure
from pages.optimizers import cache
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["step_size_ui"]

CURVATURES = [0.5, 1.0, 2.0, 4.0]


def step_size_ui() -> None:
    """Curvature and learning rate sliders, the run, the threshold in numbers."""
    st.markdown(tr("opt.ss.intro"))
    cols = st.columns(2)
    cols[0].select_slider(
        tr("opt.ss.curvature"),
        CURVATURES,
        key="opt_w_ss_curvature",
        persist_state=PERSIST,
        format_func=lambda v: f"{v:g}",
    )
    cols[1].slider(tr("opt.ss.lr"), 0.01, 5.0, step=0.01, key="opt_w_ss_lr", persist_state=PERSIST)
    kappa = float(st.session_state["opt_w_condition"])
    surface = Surface(
        "bowl", condition=kappa, curvature=float(st.session_state["opt_w_ss_curvature"])
    )
    lr = float(st.session_state["opt_w_ss_lr"])
    report = cache.step_size(surface, lr)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            race_figure(
                surface, cache.grid(surface), report.result, lang(), clickable=False, animate=False
            ),
            width="stretch",
            config=CHART_CONFIG,
            key="opt_ss_chart",
        )
    with right:
        st.markdown(
            tr(
                "opt.ss.numbers",
                lam_max=f"{report.lambda_max:.4g}",
                lam_min=f"{report.lambda_min:.4g}",
                kappa=f"{kappa:g}",
                threshold=f"{report.threshold:.4g}",
                lr=f"{lr:g}",
                steep=f"{report.factor_steep:.4g}",
                flat=f"{report.factor_flat:.4g}",
                measured_steep=f"{report.measured_steep:.4g}",
                measured_flat=f"{report.measured_flat:.4g}",
            )
        )
        above = lr > report.threshold
        st.markdown(
            tr(
                "opt.ss.above" if above else "opt.ss.below",
                lr=f"{lr:g}",
                threshold=f"{report.threshold:.4g}",
            )
        )
        if report.verdict == "diverges":
            stop = report.stop
            if stop is not None:
                st.error(tr("opt.ss.diverged_at", step=stop.step), icon="⚠️")
            else:
                st.error(
                    tr(
                        "opt.ss.diverged",
                        loss=f"{report.final_loss:.3g}",
                        steps=report.result.race.steps,
                    ),
                    icon="⚠️",
                )
        elif report.close_step is not None:
            st.success(tr("opt.ss.close", step=report.close_step), icon="✅")
        else:
            st.warning(
                tr(
                    "opt.ss.slow",
                    loss=f"{report.final_loss:.3g}",
                    start=f"{report.start_loss:.3g}",
                    steps=report.result.race.steps,
                )
            )
    st.markdown(tr("opt.ss.notice"))
