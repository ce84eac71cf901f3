"""The Optimizers page, part 5: two optimizers train the same small CNN on the shapes data. Not a page.

One ``cnnviz.jobs.SequenceJob`` (slot ``opt_job``) trains the two runs one after the other in the
server's pool, with the same net, data and seed; a fragment polls it once a second and overlays
the curves. Finished runs join the session's run history, which the Overfitting lab compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.concepts import TOY_DATA, two_optimizer_plan
from cnnviz.data import DataError
from cnnviz.i18n import t
from cnnviz.jobs import SequenceJob
from cnnviz.train import OPTIMIZERS
from pages.optimizers.state import JOB_SLOT, PAGE
from pages.shared.datasets import dataset
from pages.shared.flash import flash
from pages.shared.jobs import slot_entry, start_job
from pages.shared.sequences import SequenceTexts, sequence_curves
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["shapes_ui"]

LRS = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]


@dataclass(frozen=True)
class TwoRuns:
    """What the page knows about its job: the runs' display names."""

    names: tuple[str, str]


def _name(kind: str, lr: float) -> str:
    return tr("opt.train.run_name", name=tr(f"train.optimizer.{kind}"), lr=f"{lr:g}")


def _start() -> None:
    """Start the two runs (a button callback: errors become flash messages)."""
    state = st.session_state
    first = (state["opt_w_train_a"], float(state["opt_w_train_a_lr"]))
    second = (state["opt_w_train_b"], float(state["opt_w_train_b_lr"]))
    epochs = int(state["opt_w_train_epochs"])
    if first == second:
        flash(PAGE, "warning", tr("opt.train.same"))
        return
    try:
        data = dataset(TOY_DATA)
    except DataError as exc:
        flash(PAGE, "error", exc.text(lang()))
        return
    plan = two_optimizer_plan(first, second, data.num_classes, epochs=epochs)
    names = (_name(*first), _name(*second))
    start_job(
        PAGE,
        JOB_SLOT,
        lambda: SequenceJob(plan, data),
        TwoRuns(names),
        busy_text=tr("opt.train.busy"),
    )


def _controls() -> None:
    language = lang()
    cols = st.columns([2, 2, 2, 2, 2])
    for col, (kind_key, lr_key) in zip(
        (cols[0:2], cols[2:4]),
        (("opt_w_train_a", "opt_w_train_a_lr"), ("opt_w_train_b", "opt_w_train_b_lr")),
        strict=True,
    ):
        col[0].selectbox(
            tr("opt.train.optimizer"),
            list(OPTIMIZERS),
            key=kind_key,
            persist_state=PERSIST,
            format_func=lambda k, language=language: t(f"train.optimizer.{k}", language),
        )
        col[1].select_slider(
            tr("opt.train.lr"),
            LRS,
            key=lr_key,
            persist_state=PERSIST,
            format_func=lambda v: f"{v:g}",
        )
    cols[4].slider(tr("opt.train.epochs"), 2, 20, key="opt_w_train_epochs", persist_state=PERSIST)


def shapes_ui() -> None:
    """Settings, the Train button, live progress, and the overlaid curves."""
    st.markdown(tr("opt.train.intro"))
    _controls()
    entry = slot_entry(JOB_SLOT)
    running = entry is not None and entry.job.active
    st.button(
        tr("opt.train.start"),
        key="opt_train_start",
        on_click=_start,
        disabled=running,
        type="primary",
    )
    if entry is None or not isinstance(entry.meta, TwoRuns):
        return
    names = entry.meta.names
    sequence_curves(
        entry,
        names,
        key="opt_train",
        texts=SequenceTexts(
            "opt.train.stop", "opt.train.queued", "opt.train.failed", "opt.train.notice"
        ),
        progress_text=lambda snap: tr(
            "opt.train.progress", index=snap.current + 1, total=snap.total
        ),
        data_cfg=TOY_DATA,
    )
