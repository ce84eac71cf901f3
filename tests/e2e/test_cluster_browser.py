"""Several app servers in real browsers (issue 17): one real redis-server, two ``streamlit run
app.py`` servers (A and B) sharing it through ``CNNVIZ_REDIS_URL``, and Debian's nginx in front of
both with deploy/nginx.conf (rendered with the local ports by tests/nginx_server.py).

A teacher creates a class on server A; a student on server B joins it and follows the teacher's
step change; Redis restarts mid-class and both pages say so, then carry on. A browser opening nginx's address stays on one server across reloads and reruns
(nginx's ``X-Cnnviz-Upstream`` header names the server that answered), and its WebSocket goes
through nginx: the page renders and answers a click. Every process is stopped at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, WebSocket, expect

from cnnviz.i18n import t
from cnnviz.teach import load_course
from tests.e2e.conftest import EXPECT_TIMEOUT_MS, streamlit_server
from tests.e2e.helpers import open_page, wait_idle
from tests.nginx_server import NginxServer, require_nginx
from tests.redis_server import RedisServer, require_redis

COURSE = load_course()


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """Three servers and several browsers on a shared machine: ``expect`` waits a minute here."""
    expect.set_options(timeout=60_000)
    yield
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="module")
def cluster(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Redis (its RedisServer), servers A and B, nginx in front of both (their URLs). Each
    server's first visitor opens the home page, as conftest's ``browser`` does for its server."""
    require_redis()
    require_nginx()
    base = tmp_path_factory.mktemp("cluster")
    with RedisServer(base / "redis") as redis:
        env = {
            "CNNVIZ_REDIS_URL": redis.url,
            "STREAMLIT_SERVER_COOKIE_SECRET": "cnnviz-cluster-test-secret",
        }
        (base / "a").mkdir()
        (base / "b").mkdir()
        with streamlit_server(base / "a", env) as a, streamlit_server(base / "b", env) as b:
            ports = [int(url.rsplit(":", 1)[1]) for url in (a, b)]
            for url in (a, b):
                warm = browser.new_page()
                warm.goto(url)
                warm.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                warm.close()
            with NginxServer(base / "nginx", ports) as nginx:
                yield {"a": a, "b": b, "nginx": nginx.url, "redis": redis}


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)
    return page


def _heading(page: Page, text: str) -> object:
    return page.locator("[data-testid='stMain'] h3", has_text=text)


def test_a_class_made_on_server_a_is_followed_from_server_b(
    browser: Browser, cluster: dict[str, Any]
) -> None:
    """... and when Redis restarts mid-class, both pages say so and carry on once it is back."""
    lesson = COURSE.lessons[0]
    teacher, student = _new_page(browser), _new_page(browser)
    try:
        open_page(teacher, cluster["a"], "class")
        teacher.get_by_role("button", name=t("class.start", "en")).click()
        teacher.wait_for_url(re.compile(r".*key=.*"))
        wait_idle(teacher)
        code = re.search(r"code=([A-Z0-9]+)", teacher.url).group(1)  # type: ignore[union-attr]

        student.goto(f"{cluster['b']}/class?join={code}&lang=en")
        student.wait_for_selector("[data-testid='stApp']")
        wait_idle(student, timeout=120_000)
        student.get_by_label(t("class.nickname", "en")).fill("Ann")
        student.get_by_role("button", name=t("class.join", "en")).click()
        student.wait_for_url(re.compile(r".*me=.*"))
        expect(_heading(student, lesson.steps[0].title.en)).to_be_visible()  # type: ignore[arg-type]

        teacher.get_by_role("button", name=t("lesson.next", "en")).click()
        expect(_heading(student, lesson.steps[1].title.en)).to_be_visible()  # type: ignore[arg-type]
        # the teacher's dashboard on A sees the student who joined on B
        expect(teacher.get_by_text("1 / 1").first).to_be_visible()

        redis: RedisServer = cluster["redis"]
        redis.stop()  # mid-class: the polling fragments on A and B say so, no traceback
        down = t("class.error.store_down", "en")
        for page in (teacher, student):
            expect(page.get_by_text(down).first).to_be_visible()
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
        redis.start()  # same port, same AOF: the servers reconnect by themselves
        for page in (teacher, student):
            expect(page.get_by_text(down)).to_have_count(0)
        teacher.get_by_role("button", name=t("lesson.next", "en")).click()
        expect(_heading(student, lesson.steps[2].title.en)).to_be_visible()  # type: ignore[arg-type]
    finally:
        teacher.context.close()
        student.context.close()
        if cluster["redis"].proc is None:  # the test failed while Redis was stopped
            cluster["redis"].start()


def test_through_nginx_a_browser_stays_on_one_server_and_its_websocket_works(
    browser: Browser, cluster: dict[str, Any]
) -> None:
    page = _new_page(browser)
    upstreams: list[str] = []
    sockets: list[str] = []

    def answered(response: Response) -> None:
        server = response.headers.get("x-cnnviz-upstream")
        if server and response.url.startswith(cluster["nginx"]):
            upstreams.append(server)

    def opened(socket: WebSocket) -> None:
        sockets.append(socket.url)

    page.on("response", answered)
    page.on("websocket", opened)
    try:
        open_page(page, cluster["nginx"], "conv")
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert cookies.get("cnnviz_route")
        position = page.locator("[data-testid='stSlider']", has_text="Output position")
        for step in (1, 2):  # a click is a rerun over the WebSocket
            page.get_by_role("button", name="Next ▶", exact=True).click()
            expect(position).to_contain_text(f"(0, {step})")
        for _ in range(2):  # reloads: new HTTP requests and a new WebSocket, same server
            page.reload()
            page.wait_for_selector("[data-testid='stApp']")
            wait_idle(page, timeout=120_000)
            expect(page.locator("[data-testid='stSlider']").first).to_be_visible()
        assert page.context.cookies()[0]["value"] == cookies["cnnviz_route"]
        assert len(upstreams) >= 3 and len(set(upstreams)) == 1, upstreams
        port = cluster["nginx"].rsplit(":", 1)[1]
        assert len(sockets) >= 3 and all(f":{port}/_stcore/stream" in url for url in sockets), (
            sockets
        )
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
    finally:
        page.context.close()


def test_nothing_is_left_running(tmp_path: Path) -> None:
    """Start and stop the whole set once more, then check no process of it is still alive."""
    require_redis()
    require_nginx()
    with RedisServer(tmp_path / "redis") as redis:
        redis_proc = redis.proc
        with NginxServer(tmp_path / "nginx", [1, 2]) as nginx:
            nginx_proc = nginx.proc
    assert redis_proc is not None and redis_proc.poll() is not None
    assert nginx_proc is not None and nginx_proc.poll() is not None
