"""What the tests' real local servers (tests/redis_server.py, tests/nginx_server.py) share: one
child process, started and awaited until it answers, then stopped with SIGTERM (SIGKILL if it
hangs); usable as a context manager.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = ["LocalServer", "port_answers"]


def port_answers(port: int, greeting: bytes = b"", reply: bytes = b"") -> bool:
    """True when 127.0.0.1:``port`` accepts a connection (and answers ``greeting`` with a reply
    starting with ``reply``, when given)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            if not greeting:
                return True
            sock.sendall(greeting)
            return sock.recv(64).startswith(reply)
    except OSError:
        return False


class LocalServer:
    """One server process (``self.proc``) of a test; subclasses start it and call :meth:`_await`."""

    name = "server"

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def _await(self, ready: Callable[[], bool], log: Path, timeout: float) -> Self:
        """Wait until ``ready()``; if the process dies or time runs out, stop it and raise with
        the end of its ``log``."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while not ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"{self.name} did not start:\n{text}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGTERM (the server shuts down cleanly), SIGKILL after 15 s; then it is gone."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
