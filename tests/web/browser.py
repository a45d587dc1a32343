"""Harness of the browser tests: the app served by uvicorn on a free loopback port, and
Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the documented screenshots are refreshed with ZHIDA_UPDATE_SCREENSHOTS=1; otherwise they go
# to a scratch folder so a test run leaves the work tree as it was
DOC_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = DOC_SCREENSHOTS if os.environ.get("ZHIDA_UPDATE_SCREENSHOTS") else \
    Path(tempfile.gettempdir()) / "zhida-screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn in a thread; ``url`` is where it listens."""

    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def shoot(page, name: str) -> None:
    """Save a full-page screenshot of what the user sees (docs/screenshots/ when refreshing)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 5_000, f"screenshot {name} is empty"
