"""The session every page shares: the router switch, the language, the device, problems. Not a page.

Session-state keys shared between pages (everything else is page-local and prefixed by the page):
  "lang"            "en" | "zh", chosen in the sidebar (app.py)
  "net"             the user's current valid ``cnnviz.net.specs.NetSpec`` (Build page writes, Train reads)
  "stepper_request" dict sent by the Build page to open one layer in a stepper page
  "train_job"       the Train page's job slot: a ``pages.shared.jobs.JobSlot`` holding the running
                    or finished ``cnnviz.jobs.TrainingJob`` of this session
  "runs"            the run history of this session, a list of ``cnnviz.lab.RunRecord`` (Train page
                    and Overfitting lab, through ``pages.shared.runs``)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from cnnviz.i18n import LANG_NAMES, LANGS, Message, MessageError, t
from cnnviz.jobs import server_label
from cnnviz.net import Problem
from pages.shared.widgets import PERSIST

__all__ = [
    "current_device_label",
    "follow_deep_link",
    "lang",
    "language_selector",
    "session_keepalive",
    "show_error",
    "show_problems",
    "tr",
    "use_router",
]


_DEEP_LINK = "_cnnviz_deep_link"


def use_router() -> None:
    """Make a deep link (``/build``) on a fresh server go through ``app.py``'s router.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first run
    calls ``st.navigation``; a first-ever request for ``/build`` would then run a page alone,
    without the router, the sidebar or the language switch, or the home page instead of the
    one asked for. Every page imports this module, so the first run switches the process to
    ``st.navigation`` mode, remembers which page and query parameters the link asked for
    (:func:`follow_deep_link` takes it from there) and reruns through ``app.py``. Every page
    also calls it on each run: AppTest resets the mode before every run.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        ctx = get_script_run_ctx()
        wanted = ctx.pages_manager.intended_page_name if ctx is not None else None
        if wanted:
            st.session_state[_DEEP_LINK] = (wanted, st.query_params.to_dict())
        st.rerun()


def follow_deep_link(pages: Sequence[StreamlitPage], current: StreamlitPage) -> None:
    """Go to the page a fresh server's first link asked for, if the router showed another one."""
    link = st.session_state.pop(_DEEP_LINK, None)
    if not link:
        return
    name, params = link
    target = next((page for page in pages if page.url_path == name), None)
    if target is not None and target.url_path != current.url_path:
        st.switch_page(target, query_params=params)


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
        persist_state=PERSIST,  # survives a page's st.switch_page in the middle of a run
    )


@st.cache_resource
def _default_device_label(language: str) -> str:
    return server_label(language)


def current_device_label() -> str:
    """What this server trains on (its CUDA cards, or its CPU cores), in the session language.
    How many threads each run uses is the Train page's to say."""
    return _default_device_label(lang())


def show_problems(problems: list[Problem]) -> None:
    """One ``st.error`` per problem, in the session's language."""
    for problem in problems:
        st.error(problem.text(lang()), icon="⚠️")


def show_error(error: Message | MessageError) -> None:
    """An ``st.error`` with a library message (a :class:`cnnviz.i18n.Message` or error)."""
    st.error(error.text(lang()), icon="⚠️")


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


# Last, once every name above exists: on a fresh server's first run this raises Streamlit's rerun
# while the module is still being imported, and the importer must not find it half-defined.
use_router()
