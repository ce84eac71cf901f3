"""Which trained network the /inside page looks into.

Any network trained in this session: the Train page's run (slot ``train_job``), a run of the
history whose weights were kept (``pages.shared.runs``: a lab run, a Train run with "keep
weights"), a checkpoint file loaded here or on the Train page, or the default network trained
from this page (slot ``inside_job``) when there is none yet. The chosen network becomes a
``cnnviz.inside.InsideNet`` once per source (``st.session_state["inside_nets"]``). Never a page
itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cnnviz.data import REAL_DATASETS, SYNTHETIC_DATASETS, DataConfig, DataError, class_label
from cnnviz.i18n import Message
from cnnviz.inside import InsideNet, inside_net
from cnnviz.jobs import TrainingJob
from cnnviz.lab import RunRecord
from cnnviz.net import DEFAULT_PRESET, build_model, get_preset, infer
from cnnviz.train import (
    TrainConfig,
    fit_to_data,
    trained_model_from_checkpoint,
)
from pages.inside.common import PAGE, page_link
from pages.inside.jobs import QUICK_SLOT, follow, progress_line
from pages.shared.checkpoints import uploaded_checkpoint
from pages.shared.datasets import dataset
from pages.shared.jobs import slot_job, start_job
from pages.shared.runs import runs
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["QUICK_EPOCHS", "Source", "choose_source"]

#: Epochs of the default network trained from this page (a few seconds on a CPU).
QUICK_EPOCHS = 8
_NETS = "inside_nets"


@dataclass(frozen=True, eq=False)
class Source:
    """One network to look into: its ``key`` in the select box, its label, what it comes from
    (``owner``: a job, a run record, a loaded file) and how to build it."""

    key: str
    label: str
    owner: object
    build: Callable[[], tuple[InsideNet, list[Message]]]


def _finished_model(job: object) -> TrainingJob | None:
    if isinstance(job, TrainingJob) and not job.active and job.model is not None and job.epochs:
        return job
    return None


def _from_job(job: TrainingJob) -> tuple[InsideNet, list[Message]]:
    model = job.model
    assert model is not None
    data = job.data
    return inside_net(model, job.net, data.class_names, data.mean, data.std, data=data, cfg=job.cfg)


def _from_record(record: RunRecord) -> tuple[InsideNet, list[Message]]:
    model = build_model(record.net)
    model.load_state_dict(record.model_state or {})
    notes: list[Message] = []
    try:
        if record.data_cfg is None:
            raise DataError("inside.note.no_data")
        data = fit_to_data(record.net, dataset(record.data_cfg)).data
    except DataError as exc:
        notes.append(exc.message)
        outputs = record.net.layers[-1]
        count = getattr(outputs, "out_features", 0)
        channels = record.net.input_shape[0]
        names = tuple(str(i) for i in range(count))
        inside, more = inside_net(model, record.net, names, (0.5,) * channels, (0.5,) * channels)
        return inside, notes + more
    inside, more = inside_net(
        model, record.net, data.class_names, data.mean, data.std, data=data, cfg=record.cfg
    )
    return inside, notes + more


def _from_checkpoint(loaded: dict[str, object]) -> tuple[InsideNet, list[Message]]:
    checkpoint = loaded["checkpoint"]
    trained = trained_model_from_checkpoint(checkpoint, loaded["model"])  # type: ignore[arg-type]
    notes: list[Message] = []
    data = None
    name = getattr(checkpoint, "dataset", "")
    if name in SYNTHETIC_DATASETS or name in REAL_DATASETS:
        size = trained.net.input_shape[1] if name in SYNTHETIC_DATASETS else 28
        try:
            data = dataset(DataConfig(name=name, image_size=size))
        except DataError as exc:
            notes.append(exc.message)
    else:
        notes.append(Message.of("inside.note.checkpoint_data"))
    inside, more = inside_net(
        trained.model, trained.net, trained.class_names, trained.mean, trained.std, data=data
    )
    return inside, notes + more


def _sources() -> list[Source]:
    found: list[Source] = []
    train = _finished_model(slot_job("train_job"))
    if train is not None:
        name = train.net.name or tr("inside.source.custom")
        found.append(
            Source(
                f"train:{id(train)}",
                tr("inside.source.train", name=name),
                train,
                lambda: _from_job(train),
            )
        )
    quick = _finished_model(slot_job(QUICK_SLOT))
    if quick is not None:
        found.append(
            Source(f"quick:{id(quick)}", tr("inside.source.quick"), quick, lambda: _from_job(quick))
        )
    for record in runs():
        if record.model_state is not None:
            found.append(
                Source(
                    f"run:{id(record.model_state)}",
                    tr("inside.source.run", name=record.name),
                    record.model_state,
                    lambda record=record: _from_record(record),  # type: ignore[misc]
                )
            )
    for slot, label in (
        ("inside_loaded", "inside.source.file"),
        ("train_loaded", "inside.source.train_file"),
    ):
        loaded = st.session_state.get(slot)
        if isinstance(loaded, dict) and "checkpoint" in loaded:
            found.append(
                Source(
                    f"file:{slot}:{loaded.get('file_id')}",
                    tr(label, name=loaded.get("name", "")),
                    loaded,
                    lambda loaded=loaded: _from_checkpoint(loaded),  # type: ignore[misc]
                )
            )
    return found


def _start_quick() -> None:
    """Train the default network on the default shapes data, in the server's pool."""
    net = get_preset(DEFAULT_PRESET)
    cfg = TrainConfig(epochs=QUICK_EPOCHS)
    start_job(
        PAGE,
        QUICK_SLOT,
        lambda: TrainingJob(net, dataset(DataConfig()), cfg, heartbeat_timeout=60.0),
        None,
    )


def _quick_panel(job: object) -> None:
    assert isinstance(job, TrainingJob)
    progress_line(job)
    epochs = job.epochs
    if epochs:
        st.caption(
            tr(
                "inside.quick.epoch",
                epoch=epochs[-1].epoch,
                total=job.cfg.epochs,
                acc=f"{100 * epochs[-1].val_acc:.1f}",
            )
        )


def _load_file() -> None:
    """A checkpoint uploaded here: validated by ``cnnviz.train.load_checkpoint``."""
    upload = st.file_uploader(
        tr("inside.source.upload"),
        type=["zip"],
        key="inside_w_ckpt",
        help=tr("inside.source.upload_help"),
    )
    if upload is None:
        return
    _, fresh = uploaded_checkpoint(upload, "inside_loaded")
    if not fresh:
        return
    st.session_state["inside_source"] = f"file:inside_loaded:{upload.file_id}"


def _no_network() -> None:
    """How to get a network: the Train page, the lab, a file, or one click here."""
    st.info(tr("inside.source.none"), icon="ℹ️")
    cols = st.columns([2, 1, 1])
    quick = slot_job(QUICK_SLOT)
    busy = quick is not None and quick.active
    cols[0].button(
        tr("inside.quick.button"),
        type="primary",
        on_click=_start_quick,
        disabled=busy,
        key="inside_btn_quick",
        help=tr(
            "inside.quick.help",
            epochs=QUICK_EPOCHS,
            params=f"{infer(get_preset(DEFAULT_PRESET)).total_params:,}",
        ),
    )
    with cols[1]:
        page_link("train", tr("nav.train"))
    with cols[2]:
        page_link("lab", tr("nav.lab"))
    follow(QUICK_SLOT, _quick_panel, "inside_quick_panel")


def choose_source() -> tuple[str, InsideNet] | None:
    """The network chosen by the learner, or None (then the page says how to get one).

    Returns a token naming this build of the network (for the memo of results: a new run gets
    a new token even if Python reuses an object's id) and the :class:`InsideNet`."""
    with st.expander(tr("inside.source.load_title")):
        _load_file()
    sources = _sources()
    if not sources:
        _no_network()
        return None
    keys = [source.key for source in sources]
    if st.session_state.get("inside_source") not in keys:
        newest_quick = next((k for k in keys if k.startswith("quick:")), None)
        st.session_state["inside_source"] = newest_quick or keys[0]
    labels = {source.key: source.label for source in sources}
    chosen = st.selectbox(
        tr("inside.source.label"),
        keys,
        format_func=labels.__getitem__,
        key="inside_source",
        persist_state=PERSIST,
    )
    built: dict[str, tuple[object, str, InsideNet, list[Message]]] = st.session_state.setdefault(
        _NETS, {}
    )
    for stale in [k for k in built if k not in keys]:
        del built[stale]
    source = next(s for s in sources if s.key == chosen)
    if chosen not in built or built[chosen][0] is not source.owner:
        inside, notes = source.build()
        built[chosen] = (source.owner, uuid.uuid4().hex, inside, notes)
    _, token, inside, notes = built[chosen]
    for note in notes:
        st.caption(note.text(lang()))
    _summary(inside)
    return token, inside


def _summary(inside: InsideNet) -> None:
    """One line about the chosen network: layers, parameters, data and classes."""
    classes = ", ".join(class_label(name, lang()) for name in inside.class_names[:10])
    data = inside.data.name if inside.data is not None else tr("inside.source.no_data")
    st.caption(
        tr(
            "inside.source.summary",
            name=inside.net.name or tr("inside.source.custom"),
            layers=len(inside.net.layers),
            params=f"{inside.num_parameters:,}",
            data=data,
            classes=classes,
        )
    )
