"""How every page fits a classroom projector (1024x576 CSS px: 1280x720 at 125% zoom). Not a page.

``projector_css`` loads ``projector.css`` (compact title and margins below projector sizes;
labels that wrap instead of being cut); ``scroll_into_view`` brings an element the page just
changed into view once (the Overfitting lab's run panel after Run). Layout only: no maths.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

__all__ = ["projector_css", "scroll_into_view"]

_CSS = Path(__file__).with_name("projector.css")


def projector_css() -> None:
    """The projector style sheet, for every page (called by ``app.py``; takes no space)."""
    st.html(_CSS)


def scroll_into_view(key: str) -> None:
    """Scroll the page so the container drawn with ``key`` (``st.container(key=...)``, which
    the browser marks with the class ``st-key-<key>``) sits at the top of the viewport. Once per
    call, in the browser only."""
    selector = json.dumps(f".st-key-{key}")
    st.html(
        "<script>"
        "(function tries(n) {"
        f"  const el = window.parent.document.querySelector({selector})"
        f"    || document.querySelector({selector});"
        "  if (el) { el.scrollIntoView({behavior: 'instant', block: 'start'}); }"
        "  else if (n > 0) { setTimeout(() => tries(n - 1), 100); }"
        "})(20);"
        "</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
