"""A server started with ``CNNVIZ_BACKEND=ray`` (issue 17): the sidebar names the Ray cluster, the
Train page's run trains one epoch to its end on a Ray actor, and once the server stops no Ray
process of it is left. Needs ``pip install -r requirements-cluster.txt`` (skipped without Ray,
except under CI)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import streamlit_server
from tests.e2e.helpers import open_page, wait_idle

pytestmark = [pytest.mark.ray, pytest.mark.slow]

try:
    import ray  # noqa: F401
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip(
        "ray is not installed (pip install -r requirements-cluster.txt)", allow_module_level=True
    )


def _processes_naming(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="module")
def ray_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server whose jobs run on its own local Ray instance (2 CPUs), in a Ray
    folder of its own; after the server stops, none of that instance's processes may be left."""
    ray_tmp = tempfile.mkdtemp(prefix="cnnviz-e2e-ray-", dir="/tmp")  # short: Ray's sockets
    env = {"CNNVIZ_BACKEND": "ray", "CNNVIZ_MAX_JOBS": "2", "RAY_TMPDIR": ray_tmp}
    try:
        with streamlit_server(tmp_path_factory.mktemp("ray-server"), env=env) as url:
            yield url
        deadline = time.monotonic() + 30
        while _processes_naming(ray_tmp) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not _processes_naming(ray_tmp), "Ray processes outlived the server"
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def test_a_run_from_the_train_page_trains_on_ray(browser: Browser, ray_server: str) -> None:
    # conftest's browser: a second sync_playwright() in a session whose browser fixture already
    # runs one fails ("Sync API inside the asyncio loop") when another browser test ran first
    page: Page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.set_default_timeout(60_000)  # the first visit starts the local Ray instance
        # the server's first visitor opens the home page (as the other browser tests do);
        # its sidebar starts the local Ray instance and names it
        page.goto(ray_server)
        expect(page.get_by_text("Ray cluster (2 CPUs, 0 GPUs)").first).to_be_visible(
            timeout=120_000
        )
        open_page(page, ray_server, "train")
        epochs = page.locator("[data-testid='stSlider']", has_text="Epochs").get_by_role("slider")
        epochs.focus()
        epochs.press("Home")  # 1 epoch
        wait_idle(page)
        expect(page.locator("[data-testid='stSlider']", has_text="Epochs")).to_contain_text("1")
        page.get_by_role("button", name="Start", exact=True).click()
        wait_idle(page)
        # a fresh actor imports PyTorch first: generous
        finished = page.get_by_text(re.compile("Training finished in")).first
        expect(finished).to_be_visible(timeout=180_000)
        expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    except Exception:
        page.screenshot(path="/tmp/ray_browser_failure.png", full_page=True)
        raise
    finally:
        page.close()
