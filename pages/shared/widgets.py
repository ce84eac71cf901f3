"""The one way a widget keeps its value when the learner leaves its page and comes back. Not a page.

Streamlit drops the state of a widget that is not drawn in a run, so a page switch would reset
every setting. Streamlit's own answer is the widget parameter ``persist_state="session"``: every
widget whose value should survive passes ``persist_state=PERSIST``, and the page gives each key
its first-visit default with :func:`set_defaults` before drawing it. Code that changes a setting
for the learner (a remedy, a preset, a request from another page) writes the new values with
:func:`set_values` (or ``st.session_state[key] = value``) before the widget is drawn: in a button
callback, or at the top of the page's script, as Streamlit allows.

A widget that only mirrors state the page keeps itself (the Build page's layer settings mirror its
layer drafts) is not persisted: the page seeds it from that state with :func:`set_defaults` each
time it appears, so it never shows a value older than the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import streamlit as st

__all__ = ["PERSIST", "set_defaults", "set_values"]

#: ``persist_state`` for every widget whose value survives page switches.
PERSIST: Final[Literal["session"]] = "session"


def set_defaults(defaults: Mapping[str, Any]) -> None:
    """Give each widget key its default, unless the session already holds a value for it."""
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def set_values(values: Mapping[str, Any]) -> None:
    """Set widget keys for the learner (before the widgets are drawn in this run)."""
    for key, value in values.items():
        st.session_state[key] = value
