"""Every page that trains says "waiting for cluster resources" on Ray (issue 17), through the one
helper ``pages.shared.jobs.queued_notice``: here the Initialisation page's symmetry runs wait on a
fake Ray runner (a :class:`RayRunner` whose cluster holds 7 runs and never frees a CPU), and the
Train page's device caption speaks of the cluster, not of local workers.

No Ray needed: the fake runner never imports it (``RayRunner.__init__`` is skipped).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import cnnviz.jobs.job as job_module
from cnnviz.jobs import RayRunner, backend
from cnnviz.jobs.handle import JobHandle, JobInfo

APP = str(Path(__file__).resolve().parents[1] / "app.py")


class _Queue:
    """A runner where every job waits in line until it is stopped (nothing ever runs)."""

    def __init__(self) -> None:
        self.waiting: list[JobHandle] = []
        self._cond = threading.Condition()

    def submit(self, job: JobHandle) -> None:
        with self._cond:
            self.waiting.append(job)

    def signal(self, job: JobHandle) -> None:
        with self._cond:
            if job.stop_flag.is_set() and job in self.waiting:
                self.waiting.remove(job)
                job.finish(None)
                self._cond.notify_all()

    def position(self, job: JobHandle) -> int | None:
        with self._cond:
            return self.waiting.index(job) + 1 if job in self.waiting else None

    def blocked(self, job: JobHandle) -> bool:
        return False

    def paused_seconds(self, job: JobHandle) -> float:
        return 0.0

    def join(self, job: JobHandle, timeout: float | None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: job not in self.waiting, timeout)

    def jobs(self) -> list[JobInfo]:
        return []

    def stop_all(self) -> None:
        for job in list(self.waiting):
            job.stop()


class _WaitingCluster(_Queue, RayRunner):
    """A Ray runner whose cluster is full: every job waits, and the cluster holds ``pending``
    runs (every server's) that wait for resources."""

    def __init__(self, pending: int = 7) -> None:  # no Ray: nothing of RayRunner.__init__
        _Queue.__init__(self)
        self.pending = pending
        self.cluster_cpus, self.cluster_gpus, self.threads = 8, 0, 1

    def cluster_pending(self) -> int:
        return self.pending

    def close(self, timeout: float = 5.0) -> None:
        pass


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[_WaitingCluster]:
    """The fake cluster as this server's runner (``CNNVIZ_BACKEND=ray``)."""
    fake = _WaitingCluster()
    monkeypatch.setenv("CNNVIZ_BACKEND", "ray")
    monkeypatch.setattr(backend, "_RAY", fake)
    monkeypatch.setattr(job_module, "default_runner", lambda: fake)
    yield fake
    fake.stop_all()


def _page(path: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _infos(at: AppTest) -> list[str]:
    return [str(info.value) for info in at.info]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Waiting for cluster resources: 7 runs wait in the cluster (yours is number 1"),
        ("zh", "正在等待集群资源:集群中有 7 个运行在排队(你的运行在本服务器排第 1 位)"),
    ],
)
def test_a_page_whose_job_waits_on_ray_shows_the_cluster_queue(
    cluster: _WaitingCluster, lang: str, words: str
) -> None:
    at = _page("pages/init/page.py", lang)
    at.button(key="init_sym_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    job: Any = at.session_state["init_job"].job
    assert job.runner is cluster and job.status == "queued"
    assert any(words in info for info in _infos(at)), _infos(at)
    assert not any("free worker" in info for info in _infos(at))  # not the local line's text
    job.stop()  # leaves the cluster's queue: the page says nothing more about waiting
    assert job.join(10)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(words in info for info in _infos(at))


def test_without_ray_the_page_keeps_its_own_queue_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same helper on a local runner: the page's own text with the place in line."""
    local = _Queue()
    monkeypatch.setattr(job_module, "default_runner", lambda: local)
    at = _page("pages/init/page.py", "en")
    try:
        at.button(key="init_sym_start").click().run()
        job: Any = at.session_state["init_job"].job
        assert job.status == "queued" and job.runner is local
        infos = _infos(at)
        assert not any("cluster" in info for info in infos), infos
        assert any("position 1 in the queue" in info for info in infos), infos
    finally:
        local.stop_all()


def test_the_train_page_caption_names_the_cluster_not_local_workers(
    cluster: _WaitingCluster,
) -> None:
    at = _page("pages/train/page.py", "en")
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Training on: the Ray cluster (8 CPUs, 0 GPUs)" in captions, captions
    assert "runs train at the same time" not in captions  # the local pool's sentence
