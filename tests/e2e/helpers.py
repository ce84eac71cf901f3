"""Helpers for real-browser tests: wait for Streamlit to finish a run, open a page."""

from __future__ import annotations

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (after a load or a click)."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=timeout)  # type: ignore[attr-defined]


def open_page(page: object, app_url: str, path: str, lang: str = "en") -> None:
    """Go to ``/{path}?lang=...`` and wait until the page has rendered."""
    page.goto(f"{app_url}/{path}?lang={lang}")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stApp']")  # type: ignore[attr-defined]
    wait_idle(page)
