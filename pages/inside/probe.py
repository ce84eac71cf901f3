"""/inside, section "CNN features + a linear classifier": the linear probe runs in the
background (``cnnviz.inside.ProbeTask`` in an ``EventLogJob``, slot ``inside_probe``) and fills
the table of validation accuracies row by row, then draws the features in 2-D (PCA, t-SNE).
Never a page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cnnviz.inside import (
    EMBEDDINGS,
    MAX_PROBE_TRAIN,
    MAX_PROBE_VAL,
    SVM_C,
    Embedding,
    InsideError,
    InsideNet,
    ProbeRow,
    ProbeTask,
    feature_index,
)
from cnnviz.jobs import BackgroundJob, EventLogJob
from cnnviz.lessons import article_by_id, citation
from cnnviz.net import layer_label
from cnnviz.train import cpu_state_dict
from cnnviz.viz import probe_map_figure
from pages.inside.common import PAGE, class_labels, notice
from pages.inside.jobs import follow, job_meta, progress_line
from pages.shared.charts import CHART_CONFIG
from pages.shared.jobs import slot_job, start_job
from pages.shared.session import lang, tr

__all__ = ["probe_section"]

PROBE_SLOT = "inside_probe"


@dataclass(frozen=True)
class ProbeMeta:
    """Which network the probe in ``inside_probe`` measures."""

    token: str


def _start(token: str, inside: InsideNet) -> None:
    data = inside.data
    if data is None:
        return
    seed = inside.cfg.seed if inside.cfg is not None else 0
    task = ProbeTask(inside.net, cpu_state_dict(inside.model), data, untrained_seed=seed)
    start_job(PAGE, PROBE_SLOT, lambda: EventLogJob(task), ProbeMeta(token))


def _rows_table(rows: list[ProbeRow]) -> list[dict[str, object]]:
    return [
        {
            tr("inside.probe.col.classifier"): tr(f"inside.probe.row.{row.key}"),
            tr("inside.probe.col.features"): f"{row.features:,}",
            tr("inside.probe.col.train"): f"{100 * row.train_accuracy:.1f}%",
            tr("inside.probe.col.val"): f"{100 * row.val_accuracy:.1f}%",
            tr("inside.probe.col.seconds"): f"{row.seconds:.1f}",
        }
        for row in rows
    ]


def _make_panel(inside: InsideNet) -> Callable[[BackgroundJob], None]:
    labels = class_labels(inside)

    def panel(job: BackgroundJob) -> None:
        assert isinstance(job, EventLogJob)
        progress_line(job)
        rows = job.events(ProbeRow)
        if rows:
            st.dataframe(_rows_table(rows), hide_index=True, width="stretch")
        embeddings = job.events(Embedding)
        if embeddings:
            columns = st.columns(len(EMBEDDINGS))
            for column, embedding in zip(columns, embeddings, strict=False):
                column.plotly_chart(
                    probe_map_figure(
                        embedding.points,
                        embedding.labels,
                        embedding.predicted,
                        labels,
                        tr(f"inside.probe.map.{embedding.method}"),
                        lang(),
                    ),
                    width="stretch",
                    config=CHART_CONFIG,
                    key=f"inside_probe_{embedding.method}",
                )
            st.caption(tr("inside.probe.map_caption"))

    return panel


def probe_section(token: str, inside: InsideNet) -> None:
    """The button, the table and the 2-D maps as they arrive, what to notice."""
    st.subheader(tr("inside.probe.title"))
    article = citation(article_by_id("a001"), lang())
    if inside.data is None:
        st.info(tr("inside.need_data"), icon="ℹ️")
        return
    try:
        layer = feature_index(inside.net)
    except InsideError as exc:
        st.warning(exc.text(lang()), icon="⚠️")
        return
    name = f"{layer + 1} {layer_label(inside.net.layers[layer])}"
    st.caption(
        tr(
            "inside.probe.intro",
            layer=name,
            train=min(MAX_PROBE_TRAIN, len(inside.data.train_y)),
            val=min(MAX_PROBE_VAL, len(inside.data.val_y)),
            c=SVM_C,
            article=article,
        )
    )
    job = slot_job(PROBE_SLOT)
    meta = job_meta(PROBE_SLOT)
    mine = isinstance(meta, ProbeMeta) and meta.token == token
    st.button(
        tr("inside.probe.start" if not mine else "inside.probe.again"),
        type="primary",
        on_click=_start,
        args=(token, inside),
        disabled=job is not None and job.active,
        key="inside_btn_probe",
    )
    if job is not None and mine:
        follow(PROBE_SLOT, _make_panel(inside), "inside_probe_panel")
    notice("inside.probe.notice", article=article)
