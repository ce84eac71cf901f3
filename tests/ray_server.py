"""A real local Ray head for the tests and benchmarks that share one Ray cluster between several
processes (issue 17: two app servers on one Ray instance, a cluster lost mid-run, the class
simulation): ``ray start --head --block`` on a free port with its own short temporary folder,
stopped at the end with every process it started. Never a mock.

Why not ``ray stop``: it stops every Ray process of this machine, other tests' and other users'
included. ``ray start --block`` stays the parent of the head's processes; a SIGTERM makes it drain
and stop exactly those. :meth:`RayHead.processes` then finds any process still holding the head's
folder (in its command line or its open files), so a test can assert that nothing is left.

Token authentication (Ray >= 2.5x turns it on when ``~/.ray/auth_token`` exists) is disabled for
this private, loopback-only head and its clients (``RAY_AUTH_MODE=disabled`` in :attr:`env`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import pytest

from tests.redis_server import free_port

__all__ = ["RayHead", "require_ray"]

CLIENT_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}


def require_ray() -> None:
    """Skip (fail under CI) unless Ray is installed."""
    try:
        import ray  # noqa: F401
    except ImportError:
        message = "Ray tests need ray (pip install -r requirements-cluster.txt)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def _holds(pid: str, folder: str) -> bool:
    proc = Path("/proc") / pid
    try:
        if folder.encode() in (proc / "cmdline").read_bytes():
            return True
        for fd in (proc / "fd").iterdir():
            try:
                if os.readlink(fd).startswith(folder):
                    return True
            except OSError:
                continue
    except OSError:
        return False
    return False


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = (Path("/proc") / str(parent) / "task").iterdir()
            kids = [
                int(k)
                for t in tasks
                for k in (t / "children").read_text().split()
                if (t / "children").exists()
            ]
        except OSError:
            continue
        found.extend(kids)
        todo.extend(kids)
    return found


class RayHead:
    """A local Ray head with ``num_cpus`` CPUs; ``address`` is what ``RAY_ADDRESS`` takes."""

    def __init__(self, num_cpus: int = 2) -> None:
        self.num_cpus = num_cpus
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="cnnviz-rh-", dir="/tmp")  # short: unix sockets
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a client process (an app server, a benchmark's driver)."""
        return {**CLIENT_ENV, "RAY_ADDRESS": self.address}

    def start(self, timeout: float = 120.0) -> RayHead:
        ray = Path(sys.executable).parent / "ray"
        log = Path(self.folder) / "head.log"
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    str(ray),
                    "start",
                    "--head",
                    "--block",
                    f"--port={self.port}",
                    f"--num-cpus={self.num_cpus}",
                    "--num-gpus=0",
                    "--include-dashboard=false",
                    "--disable-usage-stats",
                    f"--temp-dir={self.folder}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **CLIENT_ENV},
            )
        deadline = time.monotonic() + timeout
        while b"block forever" not in log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"ray start failed:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return self

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the head and every process it started (drain, then SIGKILL what is left)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        deadline = time.monotonic() + 30
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.3)

    def kill(self) -> None:
        """The head's machine is lost: SIGKILL its processes (those that name its folder, and
        their children: the workers) at once, no draining; then reap ``ray start``. Drivers
        connected to it (app servers) live on."""
        heads = [pid for pid in self.processes() if self._names_folder(pid)]
        for pid in [*heads, *(child for head in heads for child in _children(head))]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.wait(30)

    def _names_folder(self, pid: int) -> bool:
        try:
            return self.folder.encode() in (Path("/proc") / str(pid) / "cmdline").read_bytes()
        except OSError:
            return False

    def processes(self) -> list[int]:
        """Processes that still hold this head's folder."""
        me = str(os.getpid())
        return [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and p.name != me and _holds(p.name, self.folder)
        ]

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> RayHead:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
