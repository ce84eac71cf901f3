"""Session state of the Learning rate page (``pages/learning_rate/page.py``). Not a page.

Widgets ``lrate_w_<name>`` keep their values across page switches (``pages.shared.widgets``).
Job slots (``pages.shared.jobs``), one job of this page at a time: ``lrate_schedules`` (a
``SequenceJob``, one run per schedule), ``lrate_range`` and ``lrate_batch`` (``EventLogJob``s of
the range test and of the batch-size study).
"""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from cnnviz.concepts import TOY_DATA
from cnnviz.data import DataError, DatasetBundle
from pages.shared.datasets import dataset
from pages.shared.flash import flash
from pages.shared.session import lang

__all__ = ["BATCH_SLOT", "DEFAULTS", "PAGE", "RANGE_SLOT", "SCHEDULE_SLOT", "SLOTS", "toy_data"]

PAGE: Final[str] = "learning_rate"
SCHEDULE_SLOT: Final[str] = "lrate_schedules"
RANGE_SLOT: Final[str] = "lrate_range"
BATCH_SLOT: Final[str] = "lrate_batch"
SLOTS: Final[tuple[str, ...]] = (SCHEDULE_SLOT, RANGE_SLOT, BATCH_SLOT)

#: First-visit values of the page's widgets.
DEFAULTS: Final[dict[str, Any]] = {
    "lrate_w_optimizer": "momentum",
    "lrate_w_lr": 0.03,
    "lrate_w_epochs": 8,
    "lrate_w_range_optimizer": "momentum",
    "lrate_w_batch_lr": 0.05,
    "lrate_w_batch_epochs": 4,
}


def toy_data() -> DatasetBundle | None:
    """The demos' shapes data from the server's one cache, or None after a flash message
    (called from callbacks)."""
    try:
        return dataset(TOY_DATA)
    except DataError as exc:
        flash(PAGE, "error", exc.text(lang()))
        return None


def value(key: str) -> Any:
    """The current value of widget ``key`` (its default before the widget is drawn)."""
    return st.session_state.get(key, DEFAULTS.get(key))
