"""/losses: contrastive and triplet losses on three 2-D points (sliders or a click), and a tiny
embedding network trained with triplet loss (or the TCNN objective) in the background. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import OBJECTIVES, EmbeddingStep, EmbeddingTask, MetricLosses, metric_losses
from cnnviz.jobs import EventLogJob
from cnnviz.viz import embedding_figure, metric_figure, tcnn_figure
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.explorer import job_progress, last_good, notice, stop_button
from pages.shared.jobs import slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults, set_values

__all__ = ["embedding_section", "metric_section"]

SLOT = "loss_embed_job"
ROLES = ("anchor", "positive", "negative")
DEFAULTS = {"anchor": (0.0, 0.0), "positive": (1.5, 1.0), "negative": (0.5, -1.0)}


@st.cache_data(max_entries=512, show_spinner=False)
def _losses(points: tuple[tuple[float, float], ...], margin: float) -> MetricLosses:
    return metric_losses(points[0], points[1], points[2], margin)


def _on_click() -> None:
    """Move the chosen point to the clicked grid position (a callback, before the sliders)."""
    event = st.session_state.get("loss_metric_chart")
    points = (event or {}).get("selection", {}).get("points", [])
    if not points:
        return
    point = points[-1]
    role = st.session_state.get("loss_metric_role", "negative")
    x, y = point.get("x"), point.get("y")
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        set_values({f"loss_{role}_x": float(x), f"loss_{role}_y": float(y)})


def metric_section() -> None:
    """Anchor, positive and negative move with sliders or a click; loss, margin and pulls drawn."""
    st.header(tr("loss.metric.title"))
    st.markdown(tr("loss.metric.intro", article=tr("why.article.cnn003")))
    defaults: dict[str, object] = {
        "loss_metric_loss": "triplet",
        "loss_metric_margin": 1.0,
        "loss_metric_role": "negative",
    }
    for role, (x, y) in DEFAULTS.items():
        defaults[f"loss_{role}_x"], defaults[f"loss_{role}_y"] = x, y
    set_defaults(defaults)
    controls, chart = st.columns([1, 2])
    with controls:
        loss = st.radio(
            tr("loss.metric.loss"),
            ["triplet", "contrastive"],
            key="loss_metric_loss",
            persist_state=PERSIST,
            format_func=lambda k: tr(f"loss.metric.{k}"),
            horizontal=True,
        )
        margin = st.slider(
            tr("loss.metric.margin"),
            0.0,
            3.0,
            step=0.1,
            key="loss_metric_margin",
            persist_state=PERSIST,
        )
        points = []
        for role in ROLES:
            cx, cy = st.columns(2)
            with cx:
                x = st.slider(
                    f"{tr(f'loss.metric.{role}')} x",
                    -3.0,
                    3.0,
                    step=0.25,
                    key=f"loss_{role}_x",
                    persist_state=PERSIST,
                )
            with cy:
                y = st.slider(
                    f"{tr(f'loss.metric.{role}')} y",
                    -3.0,
                    3.0,
                    step=0.25,
                    key=f"loss_{role}_y",
                    persist_state=PERSIST,
                )
            points.append((float(x), float(y)))
        st.radio(
            tr("loss.metric.click_moves"),
            list(ROLES),
            key="loss_metric_role",
            persist_state=PERSIST,
            format_func=lambda r: tr(f"loss.metric.{r}"),
            horizontal=True,
        )
    result = last_good("loss_metric", lambda: _losses(tuple(points), float(margin)))
    if result is None:
        return
    with chart:
        st.plotly_chart(
            metric_figure(result, str(loss), lang()),
            config=CHART_CONFIG,
            key="loss_metric_chart",
            on_select=_on_click,
            selection_mode="points",
        )
    if loss == "triplet":
        st.latex(
            rf"L = \max(0,\ d(a,p) - d(a,n) + m) = \max(0,\ {result.d_pos:.3f} - {result.d_neg:.3f} + {result.margin:g}) = {result.triplet:.3f}"
        )
        grads = result.triplet_grads
    else:
        st.latex(
            rf"L = d(a,p)^2 + \max(0,\ m - d(a,n))^2 = {result.d_pos:.3f}^2 + \max(0,\ {result.margin:g} - {result.d_neg:.3f})^2 = {result.contrastive:.3f}"
        )
        grads = result.contrastive_grads
    st.markdown(
        tr("loss.metric.grads")
        + " "
        + " · ".join(
            f"{tr(f'loss.metric.{role}')}: ({g[0]:+.3f}, {g[1]:+.3f})"
            for role, g in zip(ROLES, grads, strict=True)
        )
    )
    notice("loss.metric.notice")


def _start() -> None:
    state = st.session_state
    task = EmbeddingTask(
        objective=str(state.get("loss_embed_objective", "triplet")),
        alpha=float(state.get("loss_embed_alpha", 0.1)),
        beta=float(state.get("loss_embed_beta", 0.001)),
    )
    start_job("losses", SLOT, lambda: EventLogJob(task), {"task": task})


def embedding_section() -> None:
    """Start the embedding run; while it runs, the embedding and the objective's parts."""
    st.subheader(tr("loss.embed.title"))
    st.markdown(tr("loss.embed.intro", article=tr("why.article.tcnn")))
    set_defaults(
        {"loss_embed_objective": "triplet", "loss_embed_alpha": 0.1, "loss_embed_beta": 0.001}
    )
    entry = slot_entry(SLOT)
    job = entry.job if entry is not None and isinstance(entry.job, EventLogJob) else None
    cols = st.columns([2, 1, 1, 1])
    with cols[0]:
        st.radio(
            tr("loss.embed.objective"),
            list(OBJECTIVES),
            key="loss_embed_objective",
            persist_state=PERSIST,
            format_func=lambda k: tr(f"loss.embed.obj.{k}"),
            horizontal=True,
        )
    with cols[1]:
        st.select_slider("α", [0.0, 0.01, 0.1, 1.0], key="loss_embed_alpha", persist_state=PERSIST)
    with cols[2]:
        st.select_slider(
            "β", [0.0, 0.0001, 0.001, 0.01, 0.1], key="loss_embed_beta", persist_state=PERSIST
        )
    with cols[3]:
        st.button(
            tr("loss.embed.start"),
            key="loss_embed_start",
            on_click=_start,
            type="primary",
            disabled=job is not None and job.active,
        )
    if job is None or entry is None:
        return
    stop_button(job, "loss_embed_stop")
    task: EmbeddingTask = entry.meta["task"]

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        steps = job.events(EmbeddingStep)
        progress = job.progress
        if job.active:
            job_progress(job, progress.fraction if progress is not None else 0.0)
        if steps:
            last = steps[-1]
            col1, col2 = st.columns(2)
            with col1:
                st.plotly_chart(
                    embedding_figure(last, lang()), config=LIVE_CONFIG, key="loss_embed_chart"
                )
            with col2:
                st.plotly_chart(
                    tcnn_figure(steps, lang()), config=LIVE_CONFIG, key="loss_tcnn_chart"
                )
            st.latex(
                rf"L = R + \alpha L_1 - \beta L_2 = {last.r:.4f} + {task.alpha:g} \times {last.l1:.4f} - {task.beta:g} \times {last.l2:.4f} = {last.tcnn:.4f}"
            )
            st.caption(
                tr(
                    f"loss.embed.trained.{task.objective}",
                    step=last.step,
                    triplet=f"{last.triplet:.4f}",
                    loss=f"{last.loss:.4f}",
                )
            )
        if not job.active and st.session_state.get("loss_embed_seen") is not job:
            st.session_state["loss_embed_seen"] = job
            st.rerun(scope="app")

    live()
    notice("loss.embed.notice")
