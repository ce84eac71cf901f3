"""deploy/nginx.conf rendered for local tests and run by Debian's nginx, unprivileged and in a
temporary folder: the upstream's ``server app1:8501`` lines become local ports, ``listen 80``
becomes a free local port, and the files nginx writes (pid, logs, temp) go to the folder.
Nothing else of the deployed config changes (tests/test_deploy.py checks that).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.local_server import LocalServer, port_answers

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = os.environ.get("CNNVIZ_NGINX", "/usr/sbin/nginx")
_UPSTREAM = re.compile(r"^([ \t]*)server\s+app\d+:8501(.*);[ \t]*\n", re.MULTILINE)
_LISTEN = re.compile(r"^(\s*)listen 80;\s*$", re.MULTILINE)

__all__ = ["CONF", "NGINX", "NginxServer", "render", "require_nginx"]


def require_nginx() -> str:
    """The nginx binary; skip the test without it (fail under CI, which installs it)."""
    binary = NGINX if Path(NGINX).exists() else shutil.which("nginx")
    if binary is None:
        message = f"nginx tests need {NGINX} (apt-get install -y nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(binary)


def render(upstreams: list[int], listen: int, folder: Path) -> str:
    """deploy/nginx.conf with local upstream ports, a local listen port and files in ``folder``."""
    text = CONF.read_text()
    lines = [f"\\1server 127.0.0.1:{port}\\2;\n" for port in upstreams]
    first = _UPSTREAM.search(text)
    assert first is not None and _LISTEN.search(text), "deploy/nginx.conf lost its upstream/listen"
    text = _UPSTREAM.sub("", text)
    text = text[: first.start()] + first.expand("".join(lines)) + text[first.start() :]
    text = _LISTEN.sub(f"\\1listen 127.0.0.1:{listen};", text)
    temp = {"client_body": "body", "proxy": "proxy", "fastcgi": "fastcgi", "uwsgi": "uwsgi"}
    temp["scgi"] = "scgi"
    for sub in temp.values():
        (folder / sub).mkdir(parents=True, exist_ok=True)
    paths = "\n".join(f"    {name}_temp_path {folder / sub};" for name, sub in temp.items())
    text = text.replace(
        "http {\n",
        f"http {{\n    access_log {folder / 'access.log'};\n{paths}\n",
        1,
    )
    head = f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} info;\n"
    if os.getuid() == 0:  # workers would drop to "nobody", who cannot write the temp folder
        head += "user root;\n"
    return head + text


class NginxServer(LocalServer):
    """nginx with the rendered config on a free local port, in front of ``upstreams``."""

    name = "nginx"

    def __init__(self, folder: Path, upstreams: list[int]) -> None:
        self.binary = require_nginx()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(render(upstreams, self.port, self.folder))
        super().__init__()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def check(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on the rendered config."""
        return subprocess.run(
            [self.binary, "-t", "-p", str(self.folder), "-c", str(self.conf)],
            capture_output=True,
            text=True,
            timeout=30,
        )

    def start(self) -> NginxServer:
        with (self.folder / "stderr.log").open("wb") as log:
            self.proc = subprocess.Popen(
                [self.binary, "-p", str(self.folder), "-c", str(self.conf), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        return self._await(lambda: port_answers(self.port), self.folder / "error.log", 20.0)
