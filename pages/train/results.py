"""Train page, after a run: record it in the run history, the held-out accuracies (best validation,
and the official test split measured once), analyse it, save and load checkpoints.

A finished run joins the session's history (``pages.shared.runs.add_run``, the path every lab run
takes too) as a ``cnnviz.lab.RunRecord``. Never a page itself.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.jobs import TrainingJob
from cnnviz.lab import RunRecord
from cnnviz.train import (
    Analysis,
    Evaluated,
    analyse,
    best_validation_accuracy,
    cpu_state_dict,
    save_checkpoint,
)
from cnnviz.viz import confusion_figure, display_image, per_class_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.checkpoints import uploaded_checkpoint
from pages.shared.jobs import slot_entry
from pages.shared.runs import add_run
from pages.shared.session import lang, tr
from pages.train.common import class_labels, number_text
from pages.train.live import TRAIN_SLOT, TrainMeta

__all__ = ["after_training", "held_out_ui", "load_ui", "record_run", "run_record"]

GALLERY_SIZE = 12
GALLERY_PER_ROW = 6


def run_record(job: TrainingJob, meta: TrainMeta) -> RunRecord:
    """The finished ``job`` as a run of the history, named "Run <n>: <net>, <optimizer> lr <lr>";
    ``meta.data_cfg`` is the dataset the run trained on (never None), and the weights are kept
    when the learner asked for it."""
    cfg = job.cfg
    name = tr(
        "train.run_name",
        number=meta.number,
        net=job.net.name or tr("train.net.custom"),
        optimizer=cfg.optimizer,
        lr=number_text(cfg.lr),
    )
    model = job.model
    return RunRecord(
        name=name,
        net=job.net,
        data_cfg=meta.data_cfg,
        cfg=cfg,
        epochs=job.epochs,
        finished=job.finished,
        model_state=cpu_state_dict(model) if meta.keep_weights and model is not None else None,
    )


def record_run() -> None:
    """Add the Train page's ended job to the session's run history, once.

    Only a job this page's Start started is recorded: its slot's :class:`TrainMeta` holds the
    ``DataConfig`` it trained on (a run of unknown data never joins the history).
    """
    entry = slot_entry(TRAIN_SLOT)
    if entry is None or entry.recorded or not isinstance(entry.meta, TrainMeta):
        return
    job = entry.job
    if not isinstance(job, TrainingJob) or job.active or job.finished is None:
        return
    entry.recorded = True
    add_run(run_record(job, entry.meta))


def _analysis(job: TrainingJob) -> dict[str, Any]:
    """``{"job", "analysis", "checkpoint"}`` of the finished model, computed once per job."""
    cached = st.session_state.get("train_analysis")
    if cached is not None and cached.get("job") is job:
        return cached
    data = job.data
    result = {
        "job": job,
        "analysis": analyse(job.model, data.val_x, data.val_y, data.num_classes, GALLERY_SIZE),  # type: ignore[arg-type]
        "checkpoint": None,
    }
    st.session_state["train_analysis"] = result
    return result


def _checkpoint_bytes(job: TrainingJob, cached: dict[str, Any]) -> bytes:
    if cached.get("checkpoint") is None:
        cached["checkpoint"] = save_checkpoint(
            job.model,  # type: ignore[arg-type]
            job.net,
            class_names=job.data.class_names,
            mean=job.data.mean,
            std=job.data.std,
            dataset=job.data.name,
        )
    return cached["checkpoint"]


def _gallery(job: TrainingJob, analysis: Analysis, labels: list[str]) -> None:
    """The most confident mistakes: image, true class, top-3 guesses."""
    st.subheader(tr("train.gallery.title"))
    wrong = analysis.wrong
    if not wrong:
        st.success(tr("train.gallery.none"))
    for row in range(0, len(wrong), GALLERY_PER_ROW):
        cols = st.columns(GALLERY_PER_ROW)
        for col, item in zip(cols, wrong[row : row + GALLERY_PER_ROW], strict=False):
            image = display_image(job.data.val_x[item.index].numpy(), job.data.mean, job.data.std)
            col.image(image, width=96, clamp=True)
            col.caption(tr("train.gallery.true", label=labels[item.true_class]))
            col.caption(" · ".join(f"{labels[c]} {100 * p:.0f}%" for c, p in item.top3))


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _ten_crop_metric(column: Any, label: str, evaluated: Evaluated) -> None:
    gain = evaluated.ten_crop_gain
    if evaluated.ten_crop_accuracy is None or gain is None:
        return
    column.metric(
        label,
        _percent(evaluated.ten_crop_accuracy),
        delta=tr("train.after.gain", gain=f"{100 * gain:+.1f}"),
        help=tr("train.after.ten_crop_help"),
    )


def held_out_ui(job: TrainingJob) -> None:
    """The best validation accuracy next to the test accuracy, measured once at the end on the
    official test split (with ten-crop's gain when on), and why the test set is used only once."""
    best, epoch = best_validation_accuracy(job.epochs)
    evaluated = job.evaluated
    data = job.data
    cols = st.columns(3)
    cols[0].metric(
        tr("train.after.best_val"),
        _percent(best),
        help=tr("train.after.best_val_help", epoch=epoch),
    )
    if evaluated is not None and evaluated.split == "test":
        cols[1].metric(
            tr("train.after.test_acc"),
            _percent(evaluated.accuracy),
            help=tr("train.after.test_acc_help", images=f"{evaluated.images:,}"),
        )
        _ten_crop_metric(cols[2], tr("train.after.ten_crop"), evaluated)
        st.caption(tr("train.after.test_once"))
        st.caption(
            tr(
                "train.after.split_used",
                train=f"{len(data.train_y):,}",
                val=f"{len(data.val_y):,}",
                split=f"{data.split_size or data.used_images:,}",
                test=f"{evaluated.images:,}",
            )
        )
        return
    if evaluated is not None:  # no test split: ten crops measured on the validation set
        cols[1].metric(tr("train.after.one_crop_val"), _percent(evaluated.accuracy))
        _ten_crop_metric(cols[2], tr("train.after.ten_crop_val"), evaluated)
    if data.test_y is None:
        st.caption(tr("train.data.no_test_split"))
    else:
        st.caption(tr("train.after.not_tested"))


def after_training(job: TrainingJob) -> None:
    """Confusion matrix, per-class accuracy, misclassified gallery, checkpoint download."""
    if job.model is None or not job.epochs or job.finished is None:
        return
    if job.finished.reason == "diverged":
        return
    st.header(tr("train.after.title"))
    held_out_ui(job)
    cached = _analysis(job)
    analysis: Analysis = cached["analysis"]
    labels = class_labels(job.data.class_names)
    left, right = st.columns(2)
    left.plotly_chart(
        confusion_figure(analysis.matrix, labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_confusion",
    )
    right.plotly_chart(
        per_class_figure(analysis.per_class, labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_per_class",
    )
    st.caption(tr("train.after.confusion_caption"))
    _gallery(job, analysis, labels)
    st.download_button(
        tr("train.checkpoint.download"),
        data=_checkpoint_bytes(job, cached),
        file_name=f"cnnviz-{job.net.name or 'network'}.zip",
        mime="application/zip",
        key="train_ckpt_download",
        help=tr("train.checkpoint.download_help"),
    )


def load_ui() -> None:
    """Upload a checkpoint; it becomes a model for "try it yourself" (``"train_loaded"``)."""
    upload = st.file_uploader(
        tr("train.checkpoint.upload"),
        type=["zip"],
        key="train_w_ckpt",
        help=tr("train.checkpoint.upload_help"),
    )
    if upload is None:
        return
    loaded, _ = uploaded_checkpoint(upload, "train_loaded")
    if loaded is not None:
        st.success(tr("train.checkpoint.loaded", name=loaded["name"]))
