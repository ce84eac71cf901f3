"""Train page, after a run: record it in the run history, analyse it, save and load checkpoints.

Never a page itself.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from cnnviz.checkpoint import (
    CheckpointError,
    load_checkpoint,
    model_from_checkpoint,
    save_checkpoint,
)
from cnnviz.data import DataConfig
from cnnviz.evaluation import Analysis, analyse
from cnnviz.jobs import TrainingJob
from cnnviz.training import cpu_state_dict
from cnnviz.viz_train import confusion_figure, display_image, per_class_figure
from pages._train_common import class_labels, number_text
from pages._ui import CHART_CONFIG, lang, tr

__all__ = ["after_training", "load_ui", "record_run", "run_entry"]

GALLERY_SIZE = 12
GALLERY_PER_ROW = 6


def run_entry(
    job: TrainingJob, data_cfg: DataConfig, number: int, keep_weights: bool
) -> dict[str, Any]:
    """The finished ``job`` as a run-history entry, in the shape the Overfitting lab reads
    (``cnnviz.history``): ``{"name", "net", "data_cfg", "cfg", "epochs", "finished", "created",
    "model_state"}``; ``data_cfg`` is the dataset the run trained on, never None."""
    if not isinstance(data_cfg, DataConfig):
        raise TypeError(f"data_cfg must be a DataConfig, not {type(data_cfg).__name__}")
    cfg = job.cfg
    name = tr(
        "train.run_name",
        number=number,
        net=job.net.name or tr("train.net.custom"),
        optimizer=cfg.optimizer,
        lr=number_text(cfg.lr),
    )
    return {
        "name": name,
        "net": job.net,
        "data_cfg": data_cfg,
        "cfg": cfg,
        "epochs": job.epochs,
        "finished": job.finished,
        "created": time.time(),
        "model_state": cpu_state_dict(job.model)
        if keep_weights and job.model is not None
        else None,
    }


def record_run(job: TrainingJob) -> None:
    """Append a finished run to ``st.session_state["runs"]`` once (the lab's run history).

    Only a job started by this page is recorded: its ``"train_job_meta"`` (written by Start)
    names the job and holds the ``DataConfig`` it trained on.
    """
    meta: dict[str, Any] = st.session_state.get("train_job_meta") or {}
    if meta.get("job") is not job or meta.get("recorded") or job.finished is None:
        return
    data_cfg = meta.get("data_cfg")
    if not isinstance(data_cfg, DataConfig):
        return  # not started by this page's Start (which always stores one): nothing to record
    entry = run_entry(job, data_cfg, int(meta.get("number", 1)), bool(meta.get("keep_weights")))
    st.session_state.setdefault("runs", []).append(entry)
    meta["recorded"] = True


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


def after_training(job: TrainingJob) -> None:
    """Confusion matrix, per-class accuracy, misclassified gallery, checkpoint download."""
    if job.model is None or not job.epochs or job.finished is None:
        return
    if job.finished.reason == "diverged":
        return
    st.header(tr("train.after.title"))
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
    loaded = st.session_state.get("train_loaded")
    if loaded is not None and loaded.get("file_id") == upload.file_id:
        st.success(tr("train.checkpoint.loaded", name=loaded["name"]))
        return
    try:
        checkpoint = load_checkpoint(upload.getvalue())
        model = model_from_checkpoint(checkpoint)
    except CheckpointError as exc:
        st.error(exc.text(lang()), icon="⚠️")
        return
    name = checkpoint.net.name or upload.name
    st.session_state["train_loaded"] = {
        "file_id": upload.file_id,
        "name": name,
        "model": model,
        "checkpoint": checkpoint,
    }
    st.success(tr("train.checkpoint.loaded", name=name))
