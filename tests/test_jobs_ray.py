"""Training jobs on Ray (issue 17): the job-interface tests of the local workers, on a local Ray
instance started once for this module and shut down after it (no process left behind).

Determinism (the same seed gives the same curves and weights as the local CPU path), pause and
resume, stop, a tab that is gone, a failing task, a killed actor (running, or idle), jobs that
wait for cluster resources, a cluster that cannot be reached at start-up (the server falls back
to local workers and says so), a cluster lost mid-run (in a process of its own, on a Ray head of
its own), and the Train page starting a job that runs on Ray to its end.

Needs ``pip install -r requirements-cluster.txt``: skipped without Ray, except under CI, where a
missing Ray fails. Select with ``-m ray``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch

try:
    import ray
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise  # CI installs requirements-cluster.txt: a missing Ray is a failure there
    pytest.skip(
        "ray is not installed (pip install -r requirements-cluster.txt)", allow_module_level=True
    )

from streamlit.testing.v1 import AppTest

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import RayRunner, ThreadRunner, TrainingJob, backend
from cnnviz.jobs.ray_actor import gpu_fraction
from cnnviz.jobs.ray_runner import ACTOR_DIED, CLUSTER_LOST
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig

pytestmark = [pytest.mark.ray, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def _wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Poll ``condition`` (generous: a fresh actor imports PyTorch, slow on a busy machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def _ray_processes(temp_dir: str) -> list[int]:
    """Processes whose command line names this module's Ray session folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if temp_dir.encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def runner() -> Iterator[RayRunner]:
    """A local Ray instance with 2 CPUs and this module's runner on it; afterwards, no Ray
    process of it may be left."""
    temp_dir = tempfile.mkdtemp(prefix="cnnviz-ray-", dir="/tmp")  # short: Ray's unix sockets
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        _temp_dir=temp_dir,
    )
    jobs = RayRunner(idle_seconds=60.0)
    try:
        yield jobs
    finally:
        jobs.close()
        ray.shutdown()
        deadline = time.monotonic() + 30
        while _ray_processes(temp_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _ray_processes(temp_dir)
        shutil.rmtree(temp_dir, ignore_errors=True)
        assert not left, f"Ray processes left behind: {left}"


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    return load_dataset(DataConfig(num_samples=300, seed=0))


def _long(seed: int = 0) -> TrainConfig:
    return TrainConfig(epochs=60, batch_size=4, num_threads=1, seed=seed)


def test_same_seed_same_curves_and_weights_as_the_local_cpu_path(
    runner: RayRunner, small: DatasetBundle
) -> None:
    cfg = TrainConfig(epochs=2, batch_size=16, seed=3, num_threads=1, snapshot_every=5)
    on_ray = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
    local = TrainingJob(
        get_preset("tiny"), small, cfg, runner=ThreadRunner(), heartbeat_timeout=None
    )
    on_ray.start()
    local.start()
    assert on_ray.join(180) and local.join(60)
    a, b = on_ray.snapshot(), local.snapshot()
    assert a.status == b.status == "finished" and a.step == b.step == 30
    assert torch.equal(torch.from_numpy(a.batches), torch.from_numpy(b.batches))
    assert [e.val_loss for e in a.epochs] == [e.val_loss for e in b.epochs]
    assert on_ray.model is not None and local.model is not None
    for x, y in zip(
        on_ray.model.state_dict().values(), local.model.state_dict().values(), strict=True
    ):
        assert torch.equal(x, y)
    assert a.snapshot is not None and a.snapshot.step == b.snapshot.step  # type: ignore[union-attr]


def test_pause_resume_gives_the_same_weights(runner: RayRunner, small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=10, batch_size=16, seed=3, num_threads=1)
    reference = TrainingJob(
        get_preset("tiny"), small, cfg, runner=ThreadRunner(), heartbeat_timeout=None
    )
    reference.start()
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 5)
    job.pause()
    _wait_for(lambda: job.snapshot().status == "paused")  # the actor waits: numbers are final
    paused_at = job.snapshot().step
    time.sleep(0.5)
    assert job.snapshot().step == paused_at and job.snapshot().status == "paused"
    assert job.paused_seconds > 0.4
    job.resume()
    assert job.join(120) and reference.join(60)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.finished is not None
    assert snap.finished.reason == "completed" and snap.progress == 1.0
    assert job.model is not None and reference.model is not None
    for a, b in zip(
        reference.model.state_dict().values(), job.model.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b)


def test_stop_keeps_what_was_learned(runner: RayRunner, small: DatasetBundle) -> None:
    job = TrainingJob(get_preset("tiny"), small, _long(), runner=runner, heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 3)
    running = job.snapshot()
    assert running.status == "running" and 0 < running.progress < 1
    assert any(info.job is job and info.pid for info in runner.jobs())
    job.stop()
    job.stop()  # twice: harmless
    assert job.join(60)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.finished is not None
    assert snap.finished.reason == "stopped" and job.model is not None


def test_a_job_whose_tab_is_gone_stops_itself(runner: RayRunner, small: DatasetBundle) -> None:
    job = TrainingJob(get_preset("tiny"), small, _long(), runner=runner, heartbeat_timeout=1.0)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 1)
    assert job.join(60)  # no heartbeat: the runner's thread stops it
    assert job.stop_reason == "heartbeat"
    assert job.snapshot().finished is not None
    assert job.snapshot().finished.reason == "stopped"  # type: ignore[union-attr]


def test_a_failing_task_is_reported_and_the_actor_serves_the_next_job(
    runner: RayRunner, small: DatasetBundle
) -> None:
    broken = dataclasses.replace(small, train_y=small.train_y + 100)  # labels out of range
    job = TrainingJob(
        get_preset("tiny"), broken, TrainConfig(epochs=1), runner=runner, heartbeat_timeout=None
    )
    job.start()
    assert job.join(120)
    assert job.status == "failed" and job.error_key == "job.error.unexpected"
    after = TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1), runner=runner)
    after.start()
    assert after.join(120) and after.status == "finished"


def test_a_killed_actor_fails_only_its_job(runner: RayRunner, small: DatasetBundle) -> None:
    victim = TrainingJob(get_preset("tiny"), small, _long(), runner=runner, heartbeat_timeout=None)
    other = TrainingJob(get_preset("tiny"), small, _long(1), runner=runner, heartbeat_timeout=None)
    victim.start()
    other.start()
    _wait_for(lambda: victim.snapshot().step >= 3 and other.snapshot().step >= 3)
    pid = next(info.pid for info in runner.jobs() if info.job is victim)
    assert pid is not None and pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    assert victim.join(60)
    assert victim.status == "failed" and victim.error_key == ACTOR_DIED
    message = victim.error_message
    assert message is not None and "actor" in message.text("en")
    assert "意外终止" in message.text("zh")
    assert other.active  # the other job goes on
    other.stop()
    assert other.join(60) and other.status == "finished"
    after = TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1), runner=runner)
    after.start()
    assert after.join(120) and after.status == "finished"


def test_jobs_wait_for_cluster_resources_in_order(runner: RayRunner, small: DatasetBundle) -> None:
    busy = [
        TrainingJob(get_preset("tiny"), small, _long(s), runner=runner, heartbeat_timeout=None)
        for s in range(2)
    ]
    for job in busy:
        job.start()
    _wait_for(lambda: all(job.status == "running" for job in busy))
    waiting = [
        TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1), runner=runner)
        for _ in range(2)
    ]
    for job in waiting:
        job.start()
    # two CPUs, two running actors: Ray's scheduler holds the next two
    assert [job.status for job in waiting] == ["queued", "queued"]
    assert [job.queue_position() for job in waiting] == [1, 2]
    _wait_for(lambda: runner.cluster_pending() >= 2, timeout=30)
    assert waiting[0].snapshot().queue_position == 1
    waiting[1].stop()  # stopped while waiting: it never runs
    assert waiting[1].join(10) and waiting[1].status == "finished"
    assert waiting[1].snapshot().step == 0
    assert waiting[0].queue_position() == 1
    busy[0].stop()  # its actor goes to the job that waits
    assert waiting[0].join(120) and waiting[0].status == "finished"
    busy[1].stop()
    assert all(job.join(60) for job in busy)
    _wait_for(lambda: runner.cluster_pending() == 0, timeout=30)


def test_warm_actors_take_the_first_jobs(runner: RayRunner, small: DatasetBundle) -> None:
    assert runner.warm(2) == 2
    warm = set(runner.actor_pids())
    assert len(warm) >= 2
    job = TrainingJob(get_preset("tiny"), small, _long(), runner=runner, heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.status == "running", timeout=30)
    assert next(info.pid for info in runner.jobs() if info.job is job) in warm
    job.stop()
    assert job.join(60) and job.status == "finished"


def test_an_idle_actor_that_died_is_replaced_unnoticed(
    runner: RayRunner, small: DatasetBundle
) -> None:
    assert runner.warm(1) >= 1
    assert not any(info.status == "running" for info in runner.jobs())
    idle = runner.actor_pids()
    for pid in idle:  # its node lost while no job ran on it
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    job = TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1), runner=runner)
    job.start()
    assert job.join(180)
    assert job.status == "finished", job.error_message
    assert set(runner.actor_pids()).isdisjoint(idle)


def test_gpu_share_is_sized_from_the_network(small: DatasetBundle) -> None:
    small_job = TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1), runner=ThreadRunner())
    share = gpu_fraction(small_job.task, 16 * 2**30)
    assert share == 0.05  # a tiny network: twenty jobs share a 16 GB card
    big = dataclasses.replace(
        small_job.task, cfg=dataclasses.replace(small_job.cfg, batch_size=4096)
    )
    assert share < gpu_fraction(big, 16 * 2**30) <= 1.0
    assert gpu_fraction(big, 2**30) == 1.0
    assert gpu_fraction(object(), 2**30) == 0.25  # a task that does not say: a quarter


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_cluster_at_start_up_falls_back_to_local_workers() -> None:
    script = (
        "from cnnviz.jobs import WorkerPool, default_runner, server_label\n"
        "runner = default_runner()\n"
        "print(type(runner).__name__)\n"
        "print(server_label('en'))\n"
        "print(server_label('zh'))\n"
    )
    env = dict(os.environ, CNNVIZ_BACKEND="ray", RAY_ADDRESS=f"127.0.0.1:{_free_port()}")
    env["CNNVIZ_MAX_JOBS"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    kind, english, chinese = done.stdout.strip().splitlines()[-3:]
    assert kind == "WorkerPool"
    assert "local worker processes" in english and "Ray cluster cannot be reached" in english
    assert "无法连接 Ray 集群" in chinese


def test_the_train_page_runs_its_job_on_ray(
    runner: RayRunner, small: DatasetBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CNNVIZ_BACKEND=ray: Start on the Train page queues on the cluster ("waiting for cluster
    resources" while both CPUs are busy), then trains one epoch to the end on an actor."""
    monkeypatch.setenv("CNNVIZ_BACKEND", "ray")
    monkeypatch.setattr(backend, "_RAY", runner)  # this module's cluster, as the server's
    assert backend.default_runner() is runner
    assert backend.server_label("en") == "Ray cluster (2 CPUs, 0 GPUs)"
    busy = [
        TrainingJob(get_preset("tiny"), small, _long(s), runner=runner, heartbeat_timeout=None)
        for s in range(2)
    ]
    for job in busy:
        job.start()
    _wait_for(lambda: all(job.status == "running" for job in busy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/train/page.py")
    at.run()
    at.slider(key="train_w_epochs").set_value(1).run()
    next(b for b in at.button if b.key == "train_btn_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    job = at.session_state["train_job"].job
    assert isinstance(job, TrainingJob) and job.runner is runner
    assert job.status == "queued"
    _wait_for(lambda: runner.cluster_pending() >= 1, timeout=30)
    at.run()
    assert any("Waiting for cluster resources" in info.value for info in at.info), [
        info.value for info in at.info
    ]
    for other in busy:
        other.stop()
    assert job.join(300) and job.status == "finished"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Training finished in" in s.value for s in at.success)
    assert all(other.join(60) for other in busy)


_LOST_CHILD = """
import json, sys, time
from cnnviz.data import DataConfig, load_dataset
from cnnviz.jobs import RayRunner, TrainingJob
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig

runner = RayRunner(idle_seconds=60.0)  # RAY_ADDRESS: the test's head
small = load_dataset(DataConfig(num_samples=300, seed=0))
cfg = TrainConfig(epochs=60, batch_size=4, num_threads=1, seed=0)
job = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
job.start()
deadline = time.monotonic() + 180
while job.status != "running" or job.snapshot().step < 2:
    assert time.monotonic() < deadline and job.active, (job.status, job.error_message)
    time.sleep(0.05)
print("RUNNING", flush=True)
sys.stdin.readline()  # the test has killed the head
start = time.monotonic()
ended = job.join(60)
seconds = time.monotonic() - start
message = job.error_message
time.sleep(4)  # the runner has noticed the lost head: a new job fails at once
after = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
after.start()
time.sleep(65)  # Ray's driver would end this process 60 s after losing the head
print(json.dumps({
    "ended": ended, "status": job.status, "seconds": seconds,
    "key": message.key if message else None,
    "text": message.text("en") if message else "",
    "after_status": after.status,
    "after_text": after.error_message.text("en") if after.error_message else "",
}), flush=True)
runner.close()
"""


def test_a_cluster_lost_mid_run_fails_the_job_and_the_app_lives_on() -> None:
    """The head of the cluster (and with it the node of the running actor) is lost while a job
    trains: the job fails within seconds with a clear message, a new job fails at once with
    one, and the app's process lives on (Ray's driver would end it after 60 s). In a process of
    its own, on a Ray head of its own (tests/ray_server.py), killed with SIGKILL."""
    from tests.ray_server import RayHead

    head = RayHead(num_cpus=2)
    try:
        head.start()
        child = subprocess.Popen(
            [sys.executable, "-c", _LOST_CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **head.env, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"},
        )
        assert child.stdin is not None and child.stdout is not None
        assert child.stdout.readline().strip() == "RUNNING"
        head.kill()
        child.stdin.write("go\n")
        child.stdin.flush()
        out, _ = child.communicate(timeout=240)
        assert child.returncode == 0, out
        result = json.loads(out.strip().splitlines()[-1])
        assert result["ended"] and result["status"] == "failed", result
        assert result["seconds"] < 30, result
        assert result["key"] in (ACTOR_DIED, CLUSTER_LOST), result
        assert "stopped" in result["text"] or "stopped answering" in result["text"], result
        assert result["after_status"] == "failed", result
        assert "cluster" in result["after_text"], result
        assert not head.processes(), head.processes()
    finally:
        head.cleanup()
