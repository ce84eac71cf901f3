"""Shared test settings: small thread counts (CI has 2 cores) and a repo-root import path."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

torch.set_num_threads(1)


def _router_mode_like_a_server() -> None:
    """Run every AppTest through ``app.py``'s ``st.navigation`` router, as a live server does.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first
    ``st.navigation`` call; a server flips that once per process (``pages.shared.session.use_router``),
    but AppTest resets the flag before every run, so each rerun would run the page alone.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    PagesManager.__init__ = init  # type: ignore[method-assign]


_router_mode_like_a_server()
