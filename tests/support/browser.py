"""Headless Chromium for the report's tests and benchmark, driven by Playwright.

Playwright drives the machine's own Chromium (Debian's ``chromium`` package, which ``make test``
installs; Playwright's browser downloads are never used), so a test can click a link and follow
it to another page, and the benchmark can time a page's load. ``CLEANER_NO_BROWSER=1`` skips it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NO_BROWSER = os.environ.get("CLEANER_NO_BROWSER") == "1"
CHROMIUM = None if NO_BROWSER else (shutil.which("chromium") or shutil.which("chromium-browser"))


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if NO_BROWSER:
        return "CLEANER_NO_BROWSER=1: the browser tests are skipped on request"
    if CHROMIUM is None:
        return (
            "Chromium is not installed: `make test` installs Debian's chromium with apt-get "
            "when run as root (`make browser`); elsewhere install chromium, or set "
            "CLEANER_NO_BROWSER=1 to skip these tests on purpose"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: `make install` installs it (the dev extra)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page with its console errors and uncaught exceptions recorded."""

    def __init__(self, browser: Any, width: int = 1300, height: int = 1600) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.page.close()
