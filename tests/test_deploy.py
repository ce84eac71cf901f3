"""deploy/: the nginx config passes ``nginx -t`` (Debian's nginx, rendered with local ports) and
routes one browser to one server; docker-compose.yml and the Kubernetes example parse and wire
the app to Redis and Ray the way the code reads them (CNNVIZ_REDIS_URL, CNNVIZ_BACKEND, RAY_ADDRESS).
"""

from __future__ import annotations

import difflib
import http.server
import re
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.nginx_server import CONF, NginxServer, render
from tests.redis_server import free_port

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
APP_ENV = {"CNNVIZ_REDIS_URL", "CNNVIZ_BACKEND", "RAY_ADDRESS"}


def test_nginx_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = NginxServer(tmp_path, [free_port(), free_port()])
    result = nginx.check()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_rendering_changes_only_ports_and_file_paths(tmp_path: Path) -> None:
    original = CONF.read_text().splitlines()
    rendered = render([1111, 2222], 3333, tmp_path).splitlines()
    changed = [
        line[1:].strip()
        for line in difflib.unified_diff(original, rendered, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    allowed = re.compile(
        r"^(server (app\d|127\.0\.0\.1):\d+ .*;|listen (127\.0\.0\.1:)?\d+;|"
        r"(pid|error_log|access_log|\w+_temp_path) .*;|user root;)$"
    )
    assert changed and all(allowed.match(line) for line in changed), changed


def test_nginx_config_has_sticky_sessions_websockets_and_long_timeouts() -> None:
    text = CONF.read_text()
    assert "hash $cnnviz_route consistent;" in text
    stream = text[text.index("location /_stcore/stream") :]
    stream = stream[: stream.index("}")]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert re.search(r"proxy_read_timeout (\d+)s;", stream)
    assert int(re.search(r"proxy_read_timeout (\d+)s;", stream)[1]) >= 3600  # type: ignore[index]


class _Named(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def two_backends() -> Iterator[list[int]]:
    servers = []
    for name in ("A", "B"):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Named)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield [int(s.server_address[1]) for s in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode(), response.headers.get("Set-Cookie")


def test_a_browser_stays_on_its_server_and_browsers_spread(
    tmp_path: Path, two_backends: list[int]
) -> None:
    """Each new browser (no cookie) gets a route cookie; with it, every request reaches the same
    server; forty browsers reach both servers (one NAT address for all: not ip_hash)."""
    with NginxServer(tmp_path, two_backends) as nginx:
        seen = set()
        for _ in range(40):
            first, set_cookie = _get(nginx.url)
            assert set_cookie and set_cookie.startswith("cnnviz_route=")
            cookie = set_cookie.split(";")[0]
            for _ in range(3):
                again, new_cookie = _get(nginx.url + "/page", cookie)
                assert again == first and new_cookie is None
            seen.add(first)
        assert seen == {"A", "B"}


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_runs_app_servers_redis_and_ray() -> None:
    services = _compose()["services"]
    apps = {name: s for name, s in services.items() if name.startswith("app")}
    assert len(apps) >= 2 and {"nginx", "redis", "ray-head", "ray-worker"} <= set(services)
    upstream = set(re.findall(r"server (app\d+):8501", CONF.read_text()))
    assert upstream == set(apps)  # nginx knows every app server, and only those
    for app in apps.values():
        env = app["environment"]
        assert set(env) >= APP_ENV and env["CNNVIZ_BACKEND"] == "ray"
        assert env["CNNVIZ_REDIS_URL"].startswith("redis://redis:")
        assert env["RAY_ADDRESS"].split(":")[0] == "ray-head"
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    assert "--appendonly" in services["redis"]["command"]
    assert "--head" in services["ray-head"]["command"]
    assert any("ray-head" in part for part in services["ray-worker"]["command"])


def test_kubernetes_example_has_kuberay_cluster_app_and_service() -> None:
    docs = [
        doc
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]
    kinds = {doc["kind"]: doc for doc in docs}
    assert {"RayCluster", "Deployment", "Service", "StatefulSet", "Ingress"} <= set(kinds)
    ray = kinds["RayCluster"]
    assert ray["apiVersion"] == "ray.io/v1" and ray["spec"]["workerGroupSpecs"]
    app = next(
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "cnnviz-app"
    )
    env = {
        e["name"]: e.get("value") for e in app["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert set(env) >= APP_ENV
    assert env["RAY_ADDRESS"].startswith(ray["metadata"]["name"] + "-head-svc")
    services = {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}
    assert env["CNNVIZ_REDIS_URL"].split("//")[1].split(":")[0] in services
    annotations = kinds["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
