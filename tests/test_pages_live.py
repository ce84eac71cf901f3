"""The Train page's live panel beside Start, slow motion, the replay slider, the poll's cadence,
the thread counts explained, and the operator's page — under AppTest."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.data import DataConfig, load_dataset
from cnnviz.jobs import (
    TrainingJob,
    default_runner,
    pool_size,
    slow_motion_pace,
    slow_motion_snapshot_every,
)
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig
from pages.shared.jobs import LIVE_POLL, PAUSED_POLL, QUEUED_POLL, JobSlot, poll_seconds
from pages.train.live import TrainMeta

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(page: str = "pages/train/page.py", lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _job(at: AppTest) -> TrainingJob:
    slot = at.session_state["train_job"]
    assert isinstance(slot, JobSlot)
    return slot.job


def _titles(at: AppTest) -> list[str]:
    titles = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec).get("layout", {}).get("title", {})
        titles.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return titles


def test_start_sits_beside_the_live_panel_and_says_what_it_trains() -> None:
    at = _open()
    captions = " ".join(c.value for c in at.caption)
    assert "Start trains tiny on Shapes (built-in, grayscale): 10 epochs" in captions
    size = pool_size()
    assert f"{size.workers} runs train at the same time with {size.threads} thread(s)" in captions
    assert f"The server has {os.cpu_count()} CPU cores" in captions
    # the sidebar names the machine, not a thread count
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert f"CPU ({os.cpu_count()} cores)" in sidebar
    assert any("Press Start to train the network set up below" in i.value for i in at.info)
    # Start is the first button, and the live panel's place comes before the settings
    assert at.button[0].key == "train_btn_start"
    assert at.header[0].value == "1. Network and data"
    _button(at, "train_btn_start").click().run()
    job = _job(at)
    assert job.owner  # stamped for the operator's page
    assert job.join(90)
    at.run()
    assert not at.exception
    titles = _titles(at)
    # beside Start: the loss, the probe image and its first layer's maps, before section 3
    assert titles[:3] == ["Loss per batch", "Probe image", "1 Conv2d 8@3x3: 8 feature maps"]
    assert any(t.startswith("First layer's filters: 8 kernels") for t in titles)
    assert "Gradient norm per layer (log scale)" in titles
    assert any("blue is negative, white is 0, red is positive" in c.value for c in at.caption)


def test_slow_motion_paces_the_run_and_snapshots_more_often() -> None:
    at = _open()
    at.toggle(key="train_w_slow").set_value(True).run()
    at.slider(key="train_w_epochs").set_value(2).run()
    _button(at, "train_btn_start").click().run()
    job = _job(at)
    try:
        total = 2 * 38  # 2400 training images in batches of 64
        assert job.pace == pytest.approx(slow_motion_pace(total))
        assert job.cfg.snapshot_every == slow_motion_snapshot_every(job.pace)
        assert at.toggle(key="train_w_slow").disabled  # not while it runs
    finally:
        job.stop()
        assert job.join(30)


def test_a_finished_run_replays_epoch_by_epoch() -> None:
    at = _open(lang="zh")
    at.slider(key="train_w_epochs").set_value(2).run()
    _button(at, "train_btn_start").click().run()
    assert _job(at).join(90)
    at.run()
    replay = at.select_slider(key="train_w_replay")
    assert replay.options == ["0(训练前)", "1", "2"] and replay.value == 2
    replay.set_value(0).run()
    assert not at.exception
    assert any("训练之前(第 0 步)" in c.value for c in at.caption)
    at.select_slider(key="train_w_replay").set_value(1).run()
    step = _job(at).epoch_snapshots[1].step
    assert any(f"第 1 轮之后(第 {step} 步)" in c.value for c in at.caption)
    loss = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert loss["layout"]["shapes"][0]["x0"] == step  # the curve marks the replayed epoch


def test_a_run_stopped_by_the_teacher_says_so() -> None:
    data = load_dataset(DataConfig(num_samples=300))
    job = TrainingJob(get_preset("tiny"), data, TrainConfig(epochs=50), heartbeat_timeout=None)
    job.start()
    deadline = time.monotonic() + 60
    while job.snapshot().step < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    job.stop("operator")
    assert job.join(60)
    at = _open(train_job=JobSlot(job, TrainMeta(DataConfig(num_samples=300), False, 1)))
    assert any("Stopped by the teacher after" in i.value for i in at.info)
    waiting = TrainingJob(get_preset("tiny"), data, TrainConfig(epochs=1), heartbeat_timeout=None)
    waiting.stop("operator")  # before it ever ran
    at = _open(train_job=JobSlot(waiting, TrainMeta(DataConfig(num_samples=300), False, 1)))
    assert any("stopped this run before it started" in i.value for i in at.info)


class _Job:
    def __init__(self, status: str, blocked: bool = False) -> None:
        self.status, self.blocked = status, blocked


@pytest.mark.parametrize(
    ("status", "blocked", "every"),
    [
        ("queued", False, QUEUED_POLL),
        ("running", False, LIVE_POLL),
        ("paused", False, LIVE_POLL),  # the batch in flight still moves the numbers
        ("paused", True, PAUSED_POLL),
        ("stopping", False, LIVE_POLL),
        ("finished", False, None),
        ("failed", False, None),
    ],
)
def test_the_poll_slows_while_waiting_or_paused_and_stops_at_the_end(
    status: str, blocked: bool, every: float | None
) -> None:
    assert poll_seconds(_Job(status, blocked)) == every  # type: ignore[arg-type]
    assert LIVE_POLL < QUEUED_POLL < PAUSED_POLL


# ------------------------------------------------------------------------------- operator page


@pytest.fixture
def operator(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CNNVIZ_ADMIN_SECRET", "s3cret-é")
    monkeypatch.setenv("CNNVIZ_BACKEND", "thread")  # the jobs of this test process
    yield


def test_the_operator_page_is_off_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CNNVIZ_ADMIN_SECRET", raising=False)
    alone = AppTest.from_file(str(Path(APP).parent / "pages" / "admin.py"), default_timeout=60)
    alone.run()
    assert any("switched off" in i.value for i in alone.info)
    assert not alone.text_input  # nothing to type a secret into
    at = _open()
    with pytest.raises(Exception, match="admin"):  # not routable: the router never lists it
        at.switch_page("pages/admin.py").run()


def test_the_operator_sees_every_run_and_stops_one(operator: None) -> None:
    data = load_dataset(DataConfig(num_samples=300))
    job = TrainingJob(
        get_preset("tiny"),
        data,
        TrainConfig(epochs=100, batch_size=4),
        runner=default_runner(),
        heartbeat_timeout=None,
    )
    job.owner = "abcd1234"
    job.start()
    try:
        at = _open("pages/admin.py")
        assert [b.label for b in at.button] == ["Open"]  # nothing shown before the secret
        assert not any("abcd1234" in m.value for m in at.markdown)
        at.text_input(key="admin_typed").set_value("wrong")
        at.button[0].click().run()
        assert any("not the secret" in e.value for e in at.error)
        assert "admin_ok" not in at.session_state
        at.text_input(key="admin_typed").set_value("s3cret-é")
        at.button[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["admin_ok"] is True
        assert at.session_state["admin_typed"] == ""  # the secret is not kept
        assert any("`abcd1234`" in m.value for m in at.markdown)
        stop = next(b for b in at.button if b.key.startswith("admin_stop_"))
        stop.click().run()
        assert job.join(30) and job.stop_reason == "operator"
        assert any("Stop sent to session abcd1234" in s.value for s in at.success)
    finally:
        job.stop()
        job.join(30)


def test_the_operator_page_on_a_quiet_server(operator: None) -> None:
    at = _open("pages/admin.py", admin_ok=True)
    deadline = time.monotonic() + 10
    while default_runner().jobs() and time.monotonic() < deadline:
        time.sleep(0.1)
    at.run()
    assert any("No run is training or waiting" in i.value for i in at.info)
    assert any("Training runs in threads of the app process" in c.value for c in at.caption)


def _half_drawn_script() -> None:
    """A page that reads its job twice (its Start button, then its live panel); in the first run
    the job ends between the two reads when ``end_mid_run`` is set."""
    import streamlit as st

    from pages.shared.jobs import JobSlot, redrawn_if_a_job_ends

    class Job:
        def __init__(self) -> None:
            self.ended = False

        @property
        def active(self) -> bool:
            return not self.ended

    if "slot" not in st.session_state:
        st.session_state["slot"] = JobSlot(Job(), None)
    job = st.session_state["slot"].job
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    with redrawn_if_a_job_ends():
        st.button("Start", disabled=job.active)
        if st.session_state["runs"] == 1 and st.session_state["end_mid_run"]:
            job.ended = True  # the run finishes between the button and the live panel
        st.caption("polling" if job.active else "ended")


@pytest.mark.parametrize("end_mid_run", [True, False])
def test_a_job_that_ends_mid_run_gets_the_page_drawn_again(end_mid_run: bool) -> None:
    """The race of a clean-clone CI run: /beyond's Start stayed disabled for good, because the
    run ended after the button was drawn and before the live panel decided whether to poll."""
    at = AppTest.from_function(_half_drawn_script, default_timeout=30)
    at.session_state["end_mid_run"] = end_mid_run
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if end_mid_run:  # a second run reads the ended job everywhere: Start is enabled again
        assert at.session_state["runs"] == 2
        assert not at.button[0].disabled and at.caption[0].value == "ended"
    else:  # a job still running, or one that ended before the run began: one run, no extra
        assert at.session_state["runs"] == 1
        assert at.button[0].disabled and at.caption[0].value == "polling"
        at.session_state["slot"].job.ended = True
        at.run()
        assert at.session_state["runs"] == 2
        assert not at.button[0].disabled and at.caption[0].value == "ended"
