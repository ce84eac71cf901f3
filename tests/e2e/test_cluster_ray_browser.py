"""Two app servers on one shared Ray cluster, in real browsers (issue 17): one local Ray head
(``ray start --head``, 2 CPUs, tests/ray_server.py), one real redis-server, and two ``streamlit run
app.py`` servers (A and B) started with ``CNNVIZ_BACKEND=ray RAY_ADDRESS=<the head>
CNNVIZ_REDIS_URL=<redis>``.

A browser on each server starts a one-epoch run on the Train page at about the same time: both
sidebars name the shared cluster (2 CPUs, where a server's own local instance would have 1:
``CNNVIZ_MAX_JOBS=1``), both runs train on it as actors of two different Ray drivers (the two
servers), and each page shows its own run to its end. Then the head is stopped and no process of
it is left. Needs Ray (requirements-cluster.txt), redis-server and Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import streamlit_server
from tests.e2e.helpers import open_page, wait_idle
from tests.ray_server import RayHead, require_ray
from tests.redis_server import RedisServer, require_redis

pytestmark = [pytest.mark.ray, pytest.mark.slow]

CLUSTER = "Ray cluster (2 CPUs, 0 GPUs)"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The Ray head, Redis, and servers A and B on both; afterwards no Ray process is left."""
    require_ray()
    require_redis()
    base = tmp_path_factory.mktemp("cluster-ray")
    head = RayHead(num_cpus=2)
    try:
        with head, RedisServer(base / "redis") as redis:
            env = {
                **head.env,
                "CNNVIZ_BACKEND": "ray",
                "CNNVIZ_REDIS_URL": redis.url,
                "CNNVIZ_MAX_JOBS": "1",  # a server's own local Ray would say "1 CPUs"
            }
            (base / "a").mkdir()
            (base / "b").mkdir()
            with streamlit_server(base / "a", env) as a, streamlit_server(base / "b", env) as b:
                yield {"a": a, "b": b, "head": head}
        assert head.proc is None
        assert not head.processes(), f"Ray processes left behind: {head.processes()}"
    finally:
        head.cleanup()


def _train_one_epoch(page: Page, url: str) -> None:
    """Open the server (its sidebar connects to the cluster), then its Train page with 1 epoch,
    and press Start."""
    page.goto(url)
    expect(page.get_by_text(CLUSTER).first).to_be_visible(timeout=120_000)
    open_page(page, url, "train")
    epochs = page.locator("[data-testid='stSlider']", has_text="Epochs")
    epochs.get_by_role("slider").focus()
    epochs.get_by_role("slider").press("Home")
    wait_idle(page)
    expect(epochs).to_contain_text("1")
    expect(page.get_by_text(re.compile("Training on: the Ray cluster")).first).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).click()


def _drivers_with_actors(head: RayHead) -> set[str]:
    """Ray job ids (one per driver: per app server) that had a ``JobActor`` on the head (Ray
    marks each worker's log with ``:job_id:<id>`` and ``:actor_name:<class>``)."""
    jobs = set()
    for log in Path(head.folder).glob("session_*/logs/worker-*.err"):
        lines = log.read_text(errors="replace").splitlines()
        if ":actor_name:JobActor" in lines:
            jobs.update(line.split(":", 2)[2] for line in lines if line.startswith(":job_id:"))
    return jobs


def test_runs_from_both_servers_train_on_the_shared_cluster(
    browser: Browser, servers: dict[str, Any]
) -> None:
    pages = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in "ab"]
    try:
        for page, name in zip(pages, "ab", strict=True):
            page.set_default_timeout(90_000)
            _train_one_epoch(page, servers[name])
        for page in pages:  # each page shows its own run, to its end
            finished = page.get_by_text(re.compile("Training finished in")).first
            expect(finished).to_be_visible(timeout=240_000)
            expect(page.get_by_text(re.compile(r"Epoch 1/1|1/1")).first).to_be_visible()
            expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
        assert len(_drivers_with_actors(servers["head"])) >= 2, _drivers_with_actors(
            servers["head"]
        )
    except Exception:
        for page, name in zip(pages, "ab", strict=True):
            page.screenshot(path=f"/tmp/cluster_ray_{name}.png", full_page=True)
        raise
    finally:
        for page in pages:
            page.context.close()
