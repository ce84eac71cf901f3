"""Session state of the Overfitting lab page (``pages/lab/page.py``): its job slots, the experiment
controls' widget keys, small formatters. Not a page.

Job slots (``pages.shared.jobs.JobSlot``): ``lab_single`` (the current single run, meta
:class:`SingleRun`) and ``lab_multi`` (the current sequence, meta :class:`SequenceRun`); one lab
job at a time per session. Other session keys: ``lab_setup`` (the experiment's last valid
``LabSetup``), ``lab_sweep``, ``lab_reg``; plus the shared ``runs`` history
(``pages.shared.runs``). The experiment controls are widgets ``lab_w_<field>``, one per
``LabSetup`` field, kept across page switches (``pages.shared.widgets``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cnnviz.data import DataConfig
from cnnviz.lab import LabSetup
from cnnviz.net import NetSpec, infer
from pages.shared.jobs import active_job
from pages.shared.session import tr

__all__ = [
    "FIELDS",
    "MULTI",
    "RUN_PANEL",
    "SHOW_RUN",
    "SINGLE",
    "SLOTS",
    "SequenceRun",
    "SingleRun",
    "busy",
    "current_setup",
    "param_count",
    "pct",
    "setup_widgets",
    "verdict_name",
]

#: The experiment controls: widget ``lab_w_<field>`` for every ``LabSetup`` field.
FIELDS = tuple(f.name for f in dataclasses.fields(LabSetup))
#: Session slots of the lab's jobs: one training run, one sequence of runs.
SINGLE = "lab_single"
MULTI = "lab_multi"
SLOTS = (SINGLE, MULTI)
#: The run panel's container key, and the flag a Run callback sets to scroll it into view.
RUN_PANEL = "lab_run_panel"
SHOW_RUN = "lab_show_run"


@dataclass(frozen=True)
class SingleRun:
    """What the lab knows of its single run: its name in the history, the data it trains on, the
    setup it came from (None for a re-run of a run without one) and its guided scenario, if any."""

    name: str
    data_cfg: DataConfig
    setup: LabSetup | None = None
    scenario: str | None = None


@dataclass(frozen=True)
class SequenceRun:
    """What the lab knows of its sequence: ``kind`` ("sweep", "reg" or "ensemble") and its data."""

    kind: str
    data_cfg: DataConfig


@st.cache_data(max_entries=64, show_spinner=False)
def param_count(net: NetSpec) -> int:
    """Trainable parameters of ``net`` (``cnnviz.net.shapes.infer``)."""
    return infer(net).total_params


def busy() -> bool:
    """True while one of the lab's jobs is queued or running (one at a time per session)."""
    return active_job(*SLOTS) is not None


def current_setup() -> LabSetup:
    """The experiment's last valid setup (the defaults before the first visit)."""
    setup = st.session_state.get("lab_setup")
    return setup if isinstance(setup, LabSetup) else LabSetup()


def setup_widgets(setup: LabSetup) -> dict[str, Any]:
    """``setup`` as the values of the experiment's widgets: ``{"lab_w_<field>": value}``."""
    return {f"lab_w_{name}": getattr(setup, name) for name in FIELDS}


def verdict_name(verdict: str) -> str:
    """A diagnosis verdict ("good fit", ...) in the session language."""
    return tr(f"lab.verdict.{verdict.replace(' ', '_')}")


def pct(value: float) -> float:
    """A fraction as a percentage (NaN stays NaN)."""
    return 100 * value if math.isfinite(value) else float("nan")
