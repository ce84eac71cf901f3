"""One-shot messages: what a callback wants to say, shown on the next run of its page. Not a page.

A button callback runs before the page is drawn and cannot draw itself; it calls
``flash(page, kind, text)``, and the page calls ``show_flash(page)`` where the message belongs.
A message is shown once, then forgotten.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

__all__ = ["Kind", "flash", "show_flash"]

Kind = Literal["error", "warning", "success", "info"]
_ICONS: dict[str, str] = {"error": "⚠️", "warning": "⚠️", "success": "✅", "info": "ℹ️"}


def flash(page: str, kind: Kind, text: str) -> None:
    """Queue ``text`` for the next run of ``page`` (several messages keep their order)."""
    st.session_state.setdefault(f"{page}_flash", []).append((kind, text))


def show_flash(page: str) -> None:
    """Draw and forget the messages queued for ``page``.

    Always one element (an ``st.empty`` slot, filled only when there are messages): a message
    must not shift what follows, or the browser redraws it as new, and stateless ``st.tabs``
    below would jump back to their first tab."""
    messages = st.session_state.pop(f"{page}_flash", [])
    slot = st.empty()
    if not messages:
        return
    with slot.container():
        for kind, text in messages:
            draw = {"error": st.error, "warning": st.warning, "success": st.success}
            draw.get(kind, st.info)(text, icon=_ICONS.get(kind))
