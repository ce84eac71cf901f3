"""A real Debian ``redis-server`` for the tests: a free local port, a temporary folder (AOF on, so a
restart keeps the classes, as deploy/ configures it), stopped at the end. Never a mock.

``require_redis()`` skips a test when redis-server or the redis client is missing, and fails under
``CI`` instead (CI installs them: a skip there would hide a broken setup), like the browser tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.local_server import LocalServer, port_answers

REDIS_SERVER = os.environ.get("CNNVIZ_REDIS_SERVER", "/usr/bin/redis-server")

__all__ = ["REDIS_SERVER", "RedisServer", "free_port", "require_redis"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_redis() -> None:
    """Skip (fail under CI) unless redis-server and the redis client are installed."""
    missing = []
    if not (Path(REDIS_SERVER).exists() or shutil.which("redis-server")):
        missing.append(f"{REDIS_SERVER} (apt-get install -y redis-server)")
    try:
        import redis  # noqa: F401
    except ImportError:
        missing.append("the redis client (pip install 'redis>=5,<9')")
    if missing:
        message = "Redis tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class RedisServer(LocalServer):
    """``redis-server`` on ``port`` with its files in ``folder``; ``start()``/``stop()`` may be
    called again (a restart keeps the port and the data)."""

    name = "redis-server"

    def __init__(self, folder: Path, port: int | None = None, fsync: str = "always") -> None:
        self.fsync = (
            fsync  # appendfsync: "always" in tests, "everysec" (Redis's default) in benchmarks
        )
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        super().__init__()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20.0) -> RedisServer:
        binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else "redis-server"
        log = (self.folder / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                self.fsync,
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self._await(
            lambda: port_answers(self.port, b"PING\r\n", b"+PONG"),
            self.folder / "redis.log",
            timeout,
        )
