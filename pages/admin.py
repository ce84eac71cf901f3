"""The teacher's view of the server: every running and waiting run, its owner, CPU and memory, Stop.

Only there when the operator starts the server with ``CNNVIZ_ADMIN_SECRET`` set (``app.py`` then
registers it at ``/admin``, hidden from the navigation until this session has given the secret).
The page asks for the secret and compares it in constant time (``hmac.compare_digest``); a wrong
one costs a second. Once open, a fragment refreshes the table every two seconds: each run's
owner (the shortened session id that ``pages.shared.jobs.start_job`` stamps on it), its status,
the worker process running it with its CPU share and memory (``cnnviz.jobs.process_usage``), and
a Stop button (``job.stop("operator")``: the student's page says the teacher stopped it).
"""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from cnnviz.jobs import CpuMeter, JobInfo, WorkerPool, default_runner, process_usage
from pages.shared.session import tr, use_router

use_router()

SECRET_ENV = "CNNVIZ_ADMIN_SECRET"
REFRESH_SECONDS = 2.0


def _secret() -> str:
    return os.environ.get(SECRET_ENV, "")


def _unlock() -> None:
    """The form's callback: open the page for this session when the typed text is the secret
    (then forgotten: the secret is not kept in the session)."""
    typed = str(st.session_state.get("admin_typed", ""))
    st.session_state["admin_typed"] = ""
    secret = _secret()
    if secret and hmac.compare_digest(typed.encode("utf-8"), secret.encode("utf-8")):
        st.session_state["admin_ok"] = True
        st.session_state.pop("admin_wrong", None)
    else:
        time.sleep(1.0)  # a wrong guess costs a second
        st.session_state["admin_wrong"] = True


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _meter() -> CpuMeter:
    meter = st.session_state.get("admin_meter")
    if not isinstance(meter, CpuMeter):
        meter = st.session_state["admin_meter"] = CpuMeter()
    return meter


def _usage_text(pid: int | None, meter: CpuMeter) -> tuple[str, str]:
    """CPU (% of one core since the last refresh) and memory of process ``pid``."""
    usage = process_usage(pid) if pid is not None else None
    if usage is None:
        return "-", "-"
    percent = meter.percent(usage)
    return ("-" if percent is None else f"{percent:.0f} %"), _megabytes(usage.rss_bytes)


def _stop(info: JobInfo) -> None:
    info.job.stop("operator")
    st.session_state["admin_stopped"] = info.owner or "-"


def _server_line(infos: list[JobInfo], meter: CpuMeter) -> None:
    cpu, memory = _usage_text(os.getpid(), meter)
    running = sum(info.queue_position is None for info in infos)
    waiting = len(infos) - running
    runner = default_runner()
    if isinstance(runner, WorkerPool):
        st.caption(
            tr(
                "admin.server",
                cpu=cpu,
                memory=memory,
                workers=runner.workers,
                threads=runner.threads,
                running=running,
                waiting=waiting,
                queue=runner.max_queue,
            )
        )
    else:
        st.caption(tr("admin.threads", running=running, waiting=waiting))


def _jobs_table(infos: list[JobInfo], meter: CpuMeter) -> None:
    widths = [2, 2, 2, 1, 1, 1, 2, 2]
    header = st.columns(widths)
    for col, key in zip(
        header,
        ("owner", "status", "worker", "waiting", "age", "cpu", "memory"),
        strict=False,
    ):
        col.markdown(
            f"**{tr(f'admin.col.{key}')}**", help=tr("admin.cpu_help") if key == "cpu" else None
        )
    for index, info in enumerate(infos):
        cpu, memory = _usage_text(info.pid, meter) if info.worker is not None else ("-", "-")
        cols = st.columns(widths)
        cols[0].write(f"`{info.owner or '-'}`")
        cols[1].write(tr(f"train.status.{info.status}"))
        cols[2].write(f"{info.worker} ({info.pid})" if info.worker is not None else "-")
        cols[3].write(str(info.queue_position) if info.queue_position is not None else "-")
        cols[4].write(tr("admin.seconds", seconds=round(info.seconds)))
        cols[5].write(cpu)
        cols[6].write(memory)
        cols[7].button(
            tr("admin.stop"),
            key=f"admin_stop_{index}_{id(info.job)}",
            on_click=_stop,
            args=(info,),
            disabled=info.status == "stopping",
            width="stretch",
        )


st.title(tr("admin.title"))
if not _secret():
    st.info(tr("admin.off"))
    st.stop()
if not st.session_state.get("admin_ok"):
    with st.form("admin_login"):
        st.text_input(tr("admin.secret"), type="password", key="admin_typed")
        st.form_submit_button(tr("admin.unlock"), on_click=_unlock)
    if st.session_state.pop("admin_wrong", False):
        st.error(tr("admin.wrong"))
    st.stop()

st.caption(tr("admin.intro"))


@st.fragment(run_every=REFRESH_SECONDS)
def _panel() -> None:
    meter = _meter()
    infos = default_runner().jobs()
    _server_line(infos, meter)
    stopped = st.session_state.pop("admin_stopped", None)
    if stopped is not None:
        st.success(tr("admin.stopped", owner=stopped))
    if not infos:
        st.info(tr("admin.none"))
        return
    _jobs_table(infos, meter)


_panel()
