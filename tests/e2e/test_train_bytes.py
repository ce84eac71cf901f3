"""Train live in a real browser, byte by byte: while a run trains, a figure that has not changed
comes back as a reference to the browser's cached copy (Streamlit's message cache, on from 1 KB
in .streamlit/config.toml), and the browser always holds the copy it is pointed to."""

from __future__ import annotations

import re

from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.helpers import open_page, wait_idle


def test_unchanged_live_figures_come_as_references_the_browser_holds(
    page: Page, app_url: str
) -> None:
    received: list[ForwardMsg] = []
    errors: list[str] = []

    def listen(socket: WebSocket) -> None:
        def frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(payload)
                received.append(msg)

        socket.on("framereceived", frame)

    page.on("websocket", listen)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_page(page, app_url, "train")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_idle(page)
    finished = page.locator("[data-testid='stProgress']", has_text=re.compile("finished"))
    expect(finished.first).to_be_visible(timeout=120_000)
    # the live panel and the section below drew their figures while the run trained
    expect(page.get_by_text(re.compile(r"1 Conv2d 8@3x3: 8 feature maps")).first).to_be_visible()
    expect(page.locator(".js-plotly-plot", has_text="Loss per batch").first).to_be_visible()

    drawn = [m for m in received if m.WhichOneof("type") == "delta" and m.delta.fragment_id]
    refs = [m for m in received if m.WhichOneof("type") == "ref_hash"]
    assert drawn and refs  # the probe image, at least, is sent once and then referred to
    polled = {m.hash for m in drawn if m.metadata.cacheable}
    assert polled & {m.ref_hash for m in refs}  # ... by the fragments that poll the run
    # every reference points at a message the browser was sent whole (and so holds)
    cached = {m.hash for m in received if m.metadata.cacheable}
    assert {m.ref_hash for m in refs} <= cached
    assert not [e for e in errors if "Cached ForwardMsg MISS" in e], errors
    assert not page.locator("[data-testid='stException']").count()
