"""Real-browser fixtures: one Streamlit server for the session, Playwright driving Debian's Chromium.

Every test in this folder is marked ``e2e``. Without /usr/bin/chromium the tests are skipped locally
and fail under CI (CI installs Chromium, so a skip there would hide a broken setup).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

#: How long ``expect`` waits in every browser test: several live sessions share a 2-core machine.
#: ``expect.set_options`` is global, so it is set here once; a module that needs longer raises it
#: in a fixture for its own tests and puts it back (tests/e2e/test_cluster_browser.py).
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CNNVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_browser() -> None:
    if (
        not Path(CHROMIUM).exists()
        or shutil.which("streamlit", path=str(Path(sys.executable).parent)) is None
    ):
        message = f"real-browser tests need {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def streamlit_server(workdir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port until the block ends; yield its base URL."""
    _require_browser()
    port = _free_port()
    log = workdir / "streamlit.log"
    data = workdir / "data"
    data.mkdir(exist_ok=True)
    full_env = {**os.environ, "CNNVIZ_DATA_DIR": str(data), **(env or {})}
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "streamlit"),
                "run",
                "app.py",
                "--server.headless=true",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
            ],
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=full_env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Streamlit server for the whole session; yields its base URL."""
    with streamlit_server(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # The server's first visitor opens the home page, as a teacher does before sharing links
        # (a deep link as a new server's very first request is tested on its own server).
        warm = chromium.new_page()
        warm.goto(app_url)
        warm.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        warm.close()
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
