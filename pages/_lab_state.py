"""Session state and shared resources of the Overfitting lab page (``pages/lab.py``). Not a page.

Non-widget session keys (they survive page switches): ``lab_single`` (the current single run),
``lab_multi`` (the current sequence), ``lab_setup`` (the experiment controls as a ``LabSetup``),
``lab_sweep``, ``lab_reg``, ``lab_flash``; plus the shared ``runs`` history.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import streamlit as st

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.i18n import CATALOG
from cnnviz.jobs import BackgroundJob
from cnnviz.lab_setup import LabSetup
from cnnviz.shapes import infer
from cnnviz.specs import NetSpec
from pages._ui import tr

__all__ = [
    "FIELDS",
    "active_job",
    "bundle",
    "current_setup",
    "flash",
    "job_error",
    "param_count",
    "pct",
    "put_setup",
    "runs",
    "show_flash",
    "verdict_name",
]

#: The experiment controls: widget ``lab_w_<field>`` for every ``LabSetup`` field.
FIELDS = tuple(f.name for f in dataclasses.fields(LabSetup))


@st.cache_resource(max_entries=8, show_spinner=False)
def bundle(cfg: DataConfig) -> DatasetBundle:
    """The lab's dataset tensors, shared by every session (never mutated)."""
    return load_dataset(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def param_count(net: NetSpec) -> int:
    """Trainable parameters of ``net`` (``cnnviz.shapes.infer``)."""
    return infer(net).total_params


def runs() -> list[dict[str, Any]]:
    """This session's run history (shared with the Train page)."""
    return st.session_state.setdefault("runs", [])


def current_setup() -> LabSetup:
    """The experiment's last valid setup (the defaults before the first visit)."""
    setup = st.session_state.get("lab_setup")
    return setup if isinstance(setup, LabSetup) else LabSetup()


def put_setup(setup: LabSetup) -> None:
    """Make the experiment controls show ``setup`` (callbacks run before the widgets exist)."""
    st.session_state["lab_setup"] = setup
    for name in FIELDS:
        st.session_state[f"lab_w_{name}"] = getattr(setup, name)


def flash(kind: str, text: str) -> None:
    """A message for the next run of the page (callbacks cannot draw): error/warning/success/info."""
    st.session_state["lab_flash"] = (kind, text)


def show_flash() -> None:
    """Draw and forget the message left by a callback, if any."""
    message = st.session_state.pop("lab_flash", None)
    if message is not None:
        kind, text = message
        {"error": st.error, "warning": st.warning, "success": st.success}.get(kind, st.info)(text)


def active_job() -> BackgroundJob | None:
    """The lab's job still queued or running (one at a time per session), or None."""
    for key in ("lab_single", "lab_multi"):
        slot = st.session_state.get(key)
        if slot is not None and slot["job"].active:
            return slot["job"]
    return None


def verdict_name(verdict: str) -> str:
    """A diagnosis verdict ("good fit", ...) in the session language."""
    return tr(f"lab.verdict.{verdict.replace(' ', '_')}")


def pct(value: float) -> float:
    """A fraction as a percentage (NaN stays NaN)."""
    return 100 * value if math.isfinite(value) else float("nan")


def job_error(job: BackgroundJob) -> str:
    """Why a job failed, in the session language when the catalog has its key."""
    key, params = job.error_key, job.error_params
    if key and key in CATALOG:
        try:
            return tr(key, **params)
        except (KeyError, IndexError):
            pass
    return str(job.error or key)
