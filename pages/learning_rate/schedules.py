"""The Learning rate page, part 1: every schedule of the Train page, drawn, then used. Not a page.

The curves come from the very PyTorch schedulers training uses (``cnnviz.concepts.schedule_curves``).
"Train with every schedule" starts one ``SequenceJob`` (slot ``lrate_schedules``): the same net,
data, seed, optimizer and base rate, one run per schedule; each finished run joins the session's
run history, which the Overfitting lab compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.concepts import TOY_BATCH, TOY_DATA, schedule_curves, schedule_plan
from cnnviz.i18n import t
from cnnviz.jobs import SequenceJob
from cnnviz.train import LR_CHOICES, OPTIMIZERS, SCHEDULES, batches_per_epoch
from cnnviz.viz import schedules_figure
from pages.learning_rate.state import PAGE, SCHEDULE_SLOT, SLOTS, toy_data, value
from pages.shared.charts import CHART_CONFIG
from pages.shared.jobs import active_job, slot_entry, start_job
from pages.shared.sequences import SequenceTexts, sequence_curves
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["schedules_ui"]


@dataclass(frozen=True)
class ScheduleRuns:
    """What the page knows of its schedule job: the run names, in schedule order."""

    names: tuple[str, ...]


@st.cache_data(max_entries=32, show_spinner=False)
def _curves(optimizer: str, lr: float, epochs: int, steps: int) -> dict[str, list[float]]:
    return schedule_curves(optimizer, lr, epochs, steps)


def _start() -> None:
    data = toy_data()
    if data is None:
        return
    optimizer, lr, epochs = (
        value("lrate_w_optimizer"),
        float(value("lrate_w_lr")),
        int(value("lrate_w_epochs")),
    )
    plan = schedule_plan(optimizer, lr, data.num_classes, epochs=epochs)
    names = tuple(
        tr("lrate.sched.run_name", schedule=tr(f"train.schedule.{run.label}"), lr=f"{lr:g}")
        for run in plan
    )
    start_job(
        PAGE,
        SCHEDULE_SLOT,
        lambda: SequenceJob(plan, data),
        ScheduleRuns(names),
        exclusive=SLOTS,
        busy_text=tr("lrate.busy"),
    )


def _controls() -> None:
    language = lang()
    cols = st.columns(3)
    cols[0].selectbox(
        tr("lrate.sched.optimizer"),
        list(OPTIMIZERS),
        key="lrate_w_optimizer",
        persist_state=PERSIST,
        format_func=lambda k, language=language: t(f"train.optimizer.{k}", language),
    )
    cols[1].select_slider(
        tr("lrate.sched.lr"),
        LR_CHOICES[:-2],
        key="lrate_w_lr",
        persist_state=PERSIST,
        format_func=lambda v: f"{v:g}",
    )
    cols[2].slider(tr("lrate.sched.epochs"), 2, 20, key="lrate_w_epochs", persist_state=PERSIST)


def schedules_ui() -> None:
    """The schedules drawn, the article's policies beside PyTorch's, the runs and their curves."""
    st.markdown(tr("lrate.sched.intro"))
    _controls()
    data = toy_data()
    if data is None:
        return
    steps = batches_per_epoch(len(data.train_y), TOY_BATCH)
    optimizer, lr, epochs = (
        value("lrate_w_optimizer"),
        float(value("lrate_w_lr")),
        int(value("lrate_w_epochs")),
    )
    st.plotly_chart(
        schedules_figure(_curves(optimizer, lr, epochs, steps), steps, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="lrate_schedules_chart",
    )
    with st.expander(tr("lrate.sched.table_title")):
        st.markdown(tr("lrate.sched.table", count=len(SCHEDULES)))
    busy = active_job(*SLOTS) is not None
    st.button(
        tr("lrate.sched.start", count=len(SCHEDULES)),
        key="lrate_sched_start",
        on_click=_start,
        disabled=busy,
        type="primary",
    )
    entry = slot_entry(SCHEDULE_SLOT)
    if entry is None or not isinstance(entry.meta, ScheduleRuns):
        return
    names = entry.meta.names
    sequence_curves(
        entry,
        names,
        key="lrate_sched",
        texts=SequenceTexts("lrate.stop", "lrate.queued", "lrate.failed", "lrate.sched.notice"),
        progress_text=lambda snap: tr(
            "lrate.sched.progress",
            name=names[min(snap.current, len(names) - 1)],
            index=snap.current + 1,
            total=snap.total,
        ),
        data_cfg=TOY_DATA,
    )
