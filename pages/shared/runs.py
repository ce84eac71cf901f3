"""The run history of this session, shared by the Train page and the Overfitting lab. Not a page.

``st.session_state["runs"]`` is a list of :class:`cnnviz.lab.RunRecord`, oldest first. Every
finished run joins it through :func:`add_run` (a Train run, a lab run, each run of a sweep, an
imported one), which keeps the names unique; the lab's manage box replaces the list with the
result of ``cnnviz.lab.rename_run`` / ``delete_run`` through :func:`set_runs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import streamlit as st

from cnnviz.lab import RunRecord, unique_name

__all__ = ["RUNS_KEY", "add_run", "runs", "set_runs"]

#: The session key of the history.
RUNS_KEY = "runs"


def runs() -> list[RunRecord]:
    """This session's finished runs, oldest first (the list itself: read it, don't edit it)."""
    return st.session_state.setdefault(RUNS_KEY, [])


def add_run(record: RunRecord) -> RunRecord:
    """Append ``record`` to the history, renamed ``name (2)``... if its name is taken; returns
    the record as stored."""
    history = runs()
    name = unique_name(history, record.name)
    stored = record if name == record.name else dataclasses.replace(record, name=name)
    history.append(stored)
    return stored


def set_runs(records: Sequence[RunRecord]) -> None:
    """Replace the history (after a rename or a delete)."""
    st.session_state[RUNS_KEY] = list(records)
