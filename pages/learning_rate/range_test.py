"""The Learning rate page, part 2: the LR range test, and "Use this LR". Not a page.

The test runs as an ``EventLogJob`` (slot ``lrate_range``) of a ``cnnviz.concepts.LRRangeTask``;
a fragment redraws the curve once a second while it runs. "Use this LR" sets the Train page's
optimizer, learning rate (the nearest of its choices) and batch size to the test's, then opens
the Train page.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.concepts import LRRangeTask, RangeDone, RangePoint, toy_net
from cnnviz.i18n import t
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.train import OPTIMIZERS, nearest_lr_choice
from cnnviz.viz import range_test_figure
from pages.learning_rate.state import PAGE, RANGE_SLOT, SLOTS, toy_data, value
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.flash import flash
from pages.shared.jobs import active_job, job_error_text, queued_notice, slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["range_test_ui"]

#: Train page widget keys that "Use this LR" sets (pages/train/hyper.py).
TRAIN_LR_KEY = "train_w_lr"
TRAIN_OPTIMIZER_KEY = "train_w_optimizer"
TRAIN_BATCH_KEY = "train_w_batch"


@dataclass(frozen=True)
class RangeRun:
    """What the page knows of its range test: the optimizer and batch size it used."""

    optimizer: str
    batch_size: int


def _start() -> None:
    data = toy_data()
    if data is None:
        return
    optimizer = value("lrate_w_range_optimizer")
    task = LRRangeTask(
        toy_net(data.num_classes), data, optimizer=optimizer, num_threads=threads_per_job()
    )
    start_job(
        PAGE,
        RANGE_SLOT,
        lambda: EventLogJob(task),
        RangeRun(optimizer, task.batch_size),
        exclusive=SLOTS,
        busy_text=tr("lrate.busy"),
    )


def _use(lr: float, run: RangeRun) -> None:
    """Send the test's learning rate to the Train page and open it (in the main script: a
    callback cannot switch pages)."""
    chosen = nearest_lr_choice(lr)
    st.session_state[TRAIN_LR_KEY] = chosen
    st.session_state[TRAIN_OPTIMIZER_KEY] = run.optimizer
    st.session_state[TRAIN_BATCH_KEY] = run.batch_size
    flash(
        "train",
        "info",
        tr(
            "lrate.range.sent",
            lr=f"{chosen:g}",
            found=f"{lr:.2g}",
            optimizer=tr(f"train.optimizer.{run.optimizer}"),
            batch=run.batch_size,
        ),
    )
    st.switch_page("pages/train/page.py")


def _result(points: list[RangePoint], done: RangeDone, run: RangeRun) -> None:
    suggestion = done.suggestion
    if done.diverged:
        st.caption(tr("lrate.range.stopped", steps=done.steps))
    if suggestion is None:
        st.warning(tr("lrate.range.no_suggestion"))
        return
    st.markdown(
        tr(
            "lrate.range.suggestion",
            low=f"{suggestion.low:.2g}",
            high=f"{suggestion.high:.2g}",
            lr=f"{suggestion.suggested:.2g}",
            loss=f"{suggestion.lowest_loss:.3g}",
        )
    )
    chosen = nearest_lr_choice(suggestion.suggested)
    if st.button(
        tr("lrate.range.use", lr=f"{chosen:g}"),
        key="lrate_range_use",
        type="primary",
        help=tr(
            "lrate.range.use_help",
            optimizer=tr(f"train.optimizer.{run.optimizer}"),
            batch=run.batch_size,
        ),
    ):
        _use(suggestion.suggested, run)


def range_test_ui() -> None:
    """Choose the optimizer, run the test, see the curve and the suggested range."""
    st.markdown(tr("lrate.range.intro"))
    language = lang()
    cols = st.columns([2, 3])
    cols[0].selectbox(
        tr("lrate.range.optimizer"),
        list(OPTIMIZERS),
        key="lrate_w_range_optimizer",
        persist_state=PERSIST,
        format_func=lambda k, language=language: t(f"train.optimizer.{k}", language),
    )
    busy = active_job(*SLOTS) is not None
    cols[1].button(
        tr("lrate.range.start"),
        key="lrate_range_start",
        on_click=_start,
        disabled=busy,
        type="primary",
    )
    entry = slot_entry(RANGE_SLOT)
    if entry is None or not isinstance(entry.meta, RangeRun):
        return
    job: EventLogJob = entry.job
    if job.active:
        st.button(tr("lrate.stop"), key="lrate_range_stop", on_click=job.stop)

        @st.fragment(run_every=1.0)
        def live() -> None:
            job.heartbeat()
            if job.status == "queued":
                queued_notice(job, "lrate.queued")
            progress = job.progress
            if progress is not None:
                text = progress.message.text(lang()) if progress.message is not None else ""
                st.progress(progress.fraction, text=text)
            points = job.events(RangePoint)
            if points:
                st.plotly_chart(
                    range_test_figure(points, None, lang()),
                    width="stretch",
                    config=LIVE_CONFIG,
                    key="lrate_range_live",
                )
            if not job.active:
                st.rerun(scope="app")

        live()
        return
    if job.status == "failed":
        st.error(tr("lrate.failed", error=job_error_text(job)), icon="⚠️")
        return
    points = job.events(RangePoint)
    done = job.latest(RangeDone)
    if not points or done is None:
        st.info(tr("lrate.range.stopped_early"))
        return
    st.plotly_chart(
        range_test_figure(points, done.suggestion, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="lrate_range_chart",
    )
    _result(points, done, entry.meta)
    st.markdown(tr("lrate.range.notice"))
