"""What every page shares: starting a job (pages.shared.jobs), the dataset cache
(pages.shared.datasets) and the run history (pages.shared.runs).

The helpers read and write ``st.session_state``; here it is a plain dict per test (a session of
one learner), so each behaviour is checked directly, without a script run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import streamlit as st

from cnnviz.data import DataConfig, DataError
from cnnviz.i18n import MessageError
from cnnviz.jobs import BackgroundJob, JobControl
from cnnviz.lab import RunRecord, lab_data_config
from cnnviz.net import Problem, SpecError, scaled_net
from cnnviz.train import TrainConfig
from pages.shared import datasets, jobs
from pages.shared.jobs import JobSlot, active_job, job_error_text, slot_job, start_job
from pages.shared.runs import add_run, runs, set_runs


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A fresh ``st.session_state`` for one test."""
    state: dict[str, Any] = {}
    monkeypatch.setattr(st, "session_state", state)
    return state


def _flashes(state: dict[str, Any], page: str) -> list[tuple[str, str]]:
    return list(state.get(f"{page}_flash", []))


class _Job(BackgroundJob):
    """A job that works until released (``release``) or stopped; or fails at once."""

    def __init__(self, *, fail: BaseException | None = None) -> None:
        self.release = threading.Event()
        super().__init__(self._work, heartbeat_timeout=None)
        self._fail = fail

    def _work(self, control: JobControl) -> Iterator[None]:
        if self._fail is not None:
            raise self._fail
        while not self.release.wait(0.01):
            control.checkpoint()
            yield None


def _factory(job: BackgroundJob) -> Callable[[], BackgroundJob]:
    return lambda: job


# ------------------------------------------------------------------------------------ jobs.py


def test_start_job_stores_a_slot_with_the_meta_ties_it_to_the_session_and_starts_it(
    session: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def connected() -> bool:
        return True

    monkeypatch.setattr(jobs, "session_keepalive", lambda: connected)
    job = _Job()
    entry = start_job("train", "train_job", _factory(job), {"number": 1})
    try:
        assert isinstance(entry, JobSlot) and session["train_job"] is entry
        assert entry.job is job and entry.meta == {"number": 1} and not entry.recorded
        assert job.keepalive is connected
        assert job.status == "running" and slot_job("train_job") is job
        assert active_job("other", "train_job") is job
    finally:
        job.release.set()
    assert job.join(10)
    assert active_job("train_job") is None and slot_job("train_job") is job  # ended, still there
    assert _flashes(session, "train") == []


def test_a_second_start_while_a_job_is_active_starts_nothing(session: dict[str, Any]) -> None:
    first = _Job()
    start_job("lab", "lab_single", _factory(first), "first")
    try:
        second = _Job()
        # the same slot: silent (a double click); an exclusive slot: the page says why
        assert start_job("lab", "lab_single", _factory(second), "second") is None
        assert _flashes(session, "lab") == []
        blocked = start_job(
            "lab", "lab_multi", _factory(second), "seq", exclusive=("lab_single",), busy_text="busy"
        )
        assert blocked is None and "lab_multi" not in session
        assert _flashes(session, "lab") == [("warning", "busy")]
        assert session["lab_single"].job is first and second.status == "new"
    finally:
        first.release.set()
        first.join(10)
    # once the first has ended, the next one starts
    third = _Job()
    third.release.set()
    assert start_job("lab", "lab_single", _factory(third), "third") is not None
    assert third.join(10) and session["lab_single"].meta == "third"


def test_errors_building_the_job_become_flash_messages_in_the_session_language(
    session: dict[str, Any],
) -> None:
    session["lang"] = "zh"
    problems = [
        Problem.make("not_int", 0, "out_channels", value="x"),
        Problem.make("not_bool", 1, "bias", value="y"),
    ]

    def bad_net() -> BackgroundJob:
        raise SpecError(problems)

    def bad_data() -> BackgroundJob:
        raise DataError("data.error.upload_not_zip")

    assert start_job("train", "train_job", bad_net, None) is None
    assert start_job("train", "train_job", bad_data, None) is None
    assert "train_job" not in session
    messages = _flashes(session, "train")
    assert [kind for kind, _ in messages] == ["error", "error", "error"]
    assert [text for _, text in messages] == [
        problems[0].text("zh"),
        problems[1].text("zh"),
        DataError("data.error.upload_not_zip").text("zh"),
    ]


def test_job_error_text_speaks_the_session_language_and_survives_unknown_keys(
    session: dict[str, Any],
) -> None:
    session["lang"] = "zh"
    failed = _Job(fail=DataError("data.error.upload_not_zip"))
    failed.start()
    assert failed.join(10) and failed.status == "failed"
    assert job_error_text(failed) == DataError("data.error.upload_not_zip").text("zh")

    # a message key this version's catalog does not know (a task from a newer version)
    unknown = _Job(fail=MessageError("job.error.from_a_newer_version"))
    unknown.start()
    assert unknown.join(10)
    text = job_error_text(unknown)
    assert "job.error.from_a_newer_version" in text and "意外错误" in text

    done = _Job()
    done.release.set()
    done.start()
    assert done.join(10) and job_error_text(done) == ""


def test_a_slot_of_another_kind_is_not_a_job(session: dict[str, Any]) -> None:
    session["train_job"] = {"job": "an old page's dict"}
    assert slot_job("train_job") is None and active_job("train_job") is None


# -------------------------------------------------------------------------------- datasets.py


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[DataConfig, bytes | None]]]:
    """Every call that reaches the loader behind the cache: ``(cfg, upload bytes)``."""
    calls: list[tuple[DataConfig, bytes | None]] = []

    def fake_load(cfg: DataConfig) -> object:
        calls.append((cfg, cfg.upload_zip))
        if cfg.upload_zip == b"bad":
            raise DataError("data.error.upload_not_zip")
        return object()

    datasets._cached.clear()
    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    yield calls
    datasets._cached.clear()


def test_one_bundle_per_config_whoever_asks(loads: list[Any]) -> None:
    lab = lab_data_config(100)
    first = datasets.dataset(lab)
    assert datasets.dataset(lab_data_config(100)) is first  # an equal config: the same bundle
    assert datasets.dataset(lab_data_config(200)) is not first
    assert len(loads) == 2


def test_uploads_are_cached_by_the_digest_of_their_bytes(loads: list[Any]) -> None:
    cfg = DataConfig(name="upload")
    bundle = datasets.dataset(cfg, b"zip one")
    assert datasets.dataset(cfg, b"zip one") is bundle
    assert datasets.dataset(DataConfig(name="upload", upload_zip=b"zip one")) is bundle
    assert datasets.dataset(cfg, b"zip two") is not bundle
    assert [raw for _, raw in loads] == [b"zip one", b"zip two"]  # the loader sees the bytes
    assert datasets.upload_digest(b"zip one") != datasets.upload_digest(b"zip two")
    assert len(datasets.upload_digest(b"")) == 64


def test_a_dataset_error_is_raised_and_not_cached(loads: list[Any]) -> None:
    cfg = DataConfig(name="upload")
    for _ in range(2):
        with pytest.raises(DataError):
            datasets.dataset(cfg, b"bad")
    assert len(loads) == 2


def test_the_train_page_and_the_lab_load_through_the_one_cache() -> None:
    import pages.lab.jobs
    import pages.lab.sequences
    import pages.train.setup

    for module in (pages.train.setup, pages.lab.jobs, pages.lab.sequences):
        assert module.dataset is datasets.dataset, module.__name__


# ------------------------------------------------------------------------------------ runs.py


def _record(name: str) -> RunRecord:
    return RunRecord(
        name=name,
        net=scaled_net((1, 28, 28), 6),
        data_cfg=lab_data_config(100),
        cfg=TrainConfig(epochs=1),
        epochs=[],
    )


def test_add_run_keeps_names_unique_and_returns_the_stored_record(session: dict[str, Any]) -> None:
    assert runs() == [] and session["runs"] == []
    first = add_run(_record("Run 1"))
    second = add_run(_record("Run 1"))
    third = add_run(_record("  Run 1 "))
    assert [r.name for r in runs()] == ["Run 1", "Run 1 (2)", "Run 1 (3)"]
    assert runs()[1] is second and second.net == first.net
    assert third.name == "Run 1 (3)"
    assert all(isinstance(r, RunRecord) for r in session["runs"])


def test_set_runs_replaces_the_history(session: dict[str, Any]) -> None:
    add_run(_record("a"))
    kept = _record("b")
    set_runs((kept,))
    assert runs() == [kept] and isinstance(session["runs"], list)
