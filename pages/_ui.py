"""Widget groups and session helpers shared by every page. Never a page itself.

Session-state keys shared between pages (everything else is page-local and prefixed by the page):
  "lang"            "en" | "zh", chosen in the sidebar (app.py)
  "net"             the user's current valid ``cnnviz.specs.NetSpec`` (Build page writes, Train reads)
  "stepper_request" dict sent by the Build page to open one layer in a stepper page
  "train_job"       the running/finished ``cnnviz.training.TrainingJob`` of this session
  "runs"            the run history of this session (Train page and Overfitting lab)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from cnnviz.device import device_label, pick_device
from cnnviz.i18n import LANG_NAMES, LANGS, t
from cnnviz.specs import Problem

__all__ = [
    "CHART_CONFIG",
    "LIVE_CONFIG",
    "STATIC_CONFIG",
    "current_device_label",
    "lang",
    "language_selector",
    "restore_widgets",
    "save_widgets",
    "session_keepalive",
    "show_problems",
    "tr",
]


#: plotly ``config`` for ordinary charts (toolbar kept for zoom and PNG export).
CHART_CONFIG: dict[str, bool] = {"displaylogo": False}
#: charts redrawn every second while training: no toolbar (it would flicker).
LIVE_CONFIG: dict[str, bool] = {"displaylogo": False, "displayModeBar": False}
#: grids of numbers (steppers, diagram, worked example): nothing to zoom.
STATIC_CONFIG: dict[str, bool] = {"displayModeBar": False, "scrollZoom": False}


def _leave_legacy_pages_mode() -> None:
    """Make a deep link (``/build``) on a fresh server go through ``app.py``'s router.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first run
    calls ``st.navigation``; a first-ever request for ``/build`` would then run ``pages/build.py``
    alone, without the router, the sidebar or the language switch. Every page imports this module,
    so the first run switches the process to ``st.navigation`` mode and reruns through ``app.py``.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_pages_mode()


def lang() -> str:
    """The UI language of this session ("en" or "zh")."""
    value = st.session_state.get("lang", "en")
    return value if value in LANGS else "en"


def tr(key: str, /, **params: Any) -> str:
    """``cnnviz.i18n.t`` in this session's language."""
    return t(key, lang(), **params)


def language_selector() -> None:
    """The sidebar language switch; also honours ``?lang=zh`` in the URL for classroom links."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", "en")
        st.session_state["lang"] = wanted if wanted in LANGS else "en"
    st.sidebar.selectbox(
        t("app.language", "en"),
        options=list(LANGS),
        format_func=lambda code: LANG_NAMES[code],
        key="lang",
    )


@st.cache_resource
def _default_device_label(language: str) -> str:
    return device_label(pick_device("auto"), language)


def current_device_label() -> str:
    """The device training will use (CUDA card name, Apple MPS, or CPU), in the session language."""
    return _default_device_label(lang())


def show_problems(problems: list[Problem]) -> None:
    """One ``st.error`` per problem, in the session's language."""
    for problem in problems:
        st.error(problem.text(lang()), icon="⚠️")


def restore_widgets(page: str, defaults: Mapping[str, Any]) -> None:
    """Before drawing a page's widgets, give each key its saved value (else its default).

    Streamlit deletes the state of widgets that were not drawn in a run, so a page switch would reset
    every setting. ``save_widgets`` keeps a copy under the non-widget key ``"<page>_saved"``.
    """
    saved = st.session_state.get(f"{page}_saved", {})
    for key, default in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = saved.get(key, default)


def save_widgets(page: str, defaults: Mapping[str, Any]) -> None:
    """Copy the page's widget values to ``"<page>_saved"`` (call at the end of every run)."""
    st.session_state[f"{page}_saved"] = {
        key: st.session_state[key] for key in defaults if key in st.session_state
    }


def session_keepalive() -> Callable[[], bool] | None:
    """A check that this browser session is still connected, for ``BackgroundJob.keepalive``.

    A job whose page is not shown gets no heartbeats; with this check it keeps running while the
    learner is on another page and stops once the tab is closed. None under AppTest (no runtime).
    """
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return None
        runtime, session_id = Runtime.instance(), ctx.session_id
        return lambda: runtime.is_active_session(session_id)
    except Exception:  # AppTest and bare mode have no runtime: heartbeats alone decide
        return None
