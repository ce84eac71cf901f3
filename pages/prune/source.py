"""Which trained network the pruning lab starts from. Not a page.

Any network trained in this session: the Train page's run (slot ``"train_job"``), a lab or
Train run whose weights were kept (``pages.shared.runs``), a checkpoint file, or the default
network trained here in seconds (slot :data:`BASE_SLOT`). The lab only ever reads the source's
weights: every pruning works on a copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import torch

from cnnviz.data import SYNTHETIC_DATASETS, DataConfig, DataError, DatasetBundle
from cnnviz.i18n import MessageError
from cnnviz.jobs import TrainingJob
from cnnviz.net import DEFAULT_PRESET, PRESETS, NetSpec
from cnnviz.train import (
    CheckpointError,
    TrainConfig,
    fit_to_data,
    load_checkpoint,
)
from pages.shared.datasets import dataset
from pages.shared.flash import flash
from pages.shared.jobs import slot_entry, start_job
from pages.shared.links import link_to_page, registered_pages
from pages.shared.runs import runs
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["BASE_SLOT", "Source", "source_ui"]

BASE_SLOT = "prune_base"
BASE_EPOCHS = 8
_LOADED = "prune_loaded"


@dataclass(frozen=True, eq=False)
class Source:
    """A trained network: a stable key, its label, the spec, its weights and its data."""

    key: str
    label: str
    net: NetSpec
    state: dict[str, torch.Tensor]
    data: DatasetBundle


def _from_job(slot: str, label: str) -> Source | None:
    entry = slot_entry(slot)
    job = entry.job if entry is not None else None
    if not isinstance(job, TrainingJob) or job.active or job.model is None:
        return None
    state = dict(job.model.state_dict())  # shared, read-only: every pruning works on a copy
    return Source(f"{slot}:{id(job)}", label, job.net, state, job.data)


def _fitted(net: NetSpec, cfg: DataConfig) -> DatasetBundle:
    """The data ``cfg`` fitted to ``net``; ``MessageError`` if ``net`` was made for other data."""
    fitting = fit_to_data(net, dataset(cfg))
    if "input" in fitting.changes or "classes" in fitting.changes:
        data = fitting.data
        raise MessageError(
            "compress.error.mismatch",
            found=f"{net.input_shape} → {_outputs(net)}",
            expected=f"{data.input_shape} → {data.num_classes}",
        )
    return fitting.data


def _outputs(net: NetSpec) -> int:
    linears = [layer for layer in net.layers if layer.kind == "linear"]
    return int(getattr(linears[-1], "out_features", 0)) if linears else 0


def _sources() -> list[Source]:
    found = []
    for slot, key in (("train_job", "prune.source.train"), (BASE_SLOT, "prune.source.base")):
        source = _from_job(slot, tr(key))
        if source is not None:
            found.append(source)
    for record in runs():
        if record.model_state is None or record.data_cfg is None:
            continue
        try:
            data = _fitted(record.net, record.data_cfg)
        except MessageError:
            continue
        key = f"run:{record.name}:{record.created}"
        label = tr("prune.source.run", name=record.name)
        found.append(Source(key, label, record.net, record.model_state, data))
    loaded = st.session_state.get(_LOADED)
    if isinstance(loaded, Source):
        found.append(loaded)
    return found


def _train_default() -> None:
    net = PRESETS[DEFAULT_PRESET]
    cfg = TrainConfig(epochs=BASE_EPOCHS, seed=0, lr=3e-3)  # the Train page's default lr

    def make() -> TrainingJob:
        fitting = fit_to_data(net, dataset(DataConfig()))
        return TrainingJob(fitting.net, fitting.data, cfg)

    start_job("prune", BASE_SLOT, make, None, busy_text=tr("prune.source.busy"))


def _load(raw: bytes, name: str) -> None:
    try:
        checkpoint = load_checkpoint(raw)
        data_name = checkpoint.dataset or "shapes"
        size = checkpoint.net.input_shape[1] if data_name in SYNTHETIC_DATASETS else 28
        data = _fitted(checkpoint.net, DataConfig(name=data_name, image_size=size))
    except (CheckpointError, DataError, MessageError) as exc:
        flash("prune", "error", exc.text(lang()))
        return
    label = tr("prune.source.file", name=name)
    st.session_state[_LOADED] = Source(
        f"file:{name}:{len(raw)}", label, checkpoint.net, checkpoint.state_dict, data
    )
    st.session_state["prune_w_source"] = label


def _base_progress() -> None:
    entry = slot_entry(BASE_SLOT)
    job = entry.job if entry is not None else None
    if not isinstance(job, TrainingJob) or not job.active:
        return

    @st.fragment(run_every=1.0)
    def poll() -> None:
        job.heartbeat()
        if not job.active:
            st.rerun(scope="app")
        snap = job.snapshot()
        st.progress(snap.progress, text=tr("prune.source.training", epoch=snap.epoch))

    poll()


def source_ui() -> Source | None:
    """The source picker, the default-network button and the checkpoint upload."""
    sources = _sources()
    left, right = st.columns([3, 2])
    with right:
        st.button(tr("prune.source.train_default"), on_click=_train_default, key="prune_b_base")
        _base_progress()
        upload = st.file_uploader(tr("prune.source.upload"), type=["zip"], key="prune_w_upload")
        if upload is not None and st.session_state.get("prune_upload_id") != upload.file_id:
            st.session_state["prune_upload_id"] = upload.file_id
            _load(upload.getvalue(), upload.name)
            st.rerun()
    with left:
        train = registered_pages().get("train")
        if not sources:
            st.info(tr("prune.source.none"))
            if train is not None:
                link_to_page(train, tr("prune.link.train"))
            return None
        labels = [source.label for source in sources]
        if st.session_state.get("prune_w_source") not in labels:
            st.session_state["prune_w_source"] = labels[0]
        label = st.selectbox(
            tr("prune.source.pick"), labels, key="prune_w_source", persist_state=PERSIST
        )
        source = sources[labels.index(label)]
        st.caption(
            tr(
                "prune.source.caption",
                name=source.net.name or "-",
                data=source.data.name,
                classes=source.data.num_classes,
            )
        )
    return source
