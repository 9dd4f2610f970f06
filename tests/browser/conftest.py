"""Headless Chromium (the system's, never a download) driven by Playwright, and the servers it
visits: the API in a thread on a free port, and a static frontend page on another origin."""

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Page, sync_playwright

from app.config import load_settings
from app.main import create_app
from tests.db import ROOT, Database
from tools.ports import free_ports
from tools.seed import seed

SITE = Path(__file__).parent / "site"
ARTIFACTS = ROOT / "artifacts" / "browser"  # screenshots; git-ignored
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def frontend() -> Iterator[str]:
    """The static page's origin: http://127.0.0.1:<port>, another origin than the API's."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    with ThreadingHTTPServer(("127.0.0.1", free_ports(1)[0]), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def serve(app: FastAPI) -> Iterator[str]:
    """`app` under uvicorn on a free loopback port until the generator is closed."""
    port = free_ports(1)[0]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the API server did not start")
        threading.Event().wait(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def mock_api(frontend: str) -> Iterator[str]:
    """Mock mode, allowing the frontend's origin."""
    yield from serve(create_app(load_settings(mock_mode=True, cors_origins=frontend)))


@pytest.fixture(scope="session")
def live_api(frontend: str, migrated_database: Callable[[], Database]) -> Iterator[str]:
    """Live mode on a database of its own, migrated and seeded, allowing the frontend's origin."""
    url = migrated_database().url
    seed(url)
    yield from serve(
        create_app(load_settings(mock_mode=False, database_url=url, cors_origins=frontend))
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[BrowserContext]:
    """The system's Chromium ($CHROMIUM, else `chromium` on PATH) with a fresh profile."""
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium on PATH and CI is set: apt-get install chromium")
        pytest.skip("no chromium on PATH (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=FLAGS
        )
        yield context
        context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    tab = browser.new_page()
    yield tab
    tab.close()


@dataclass
class Traffic:
    """What a page's requests came to: URLs loaded, and URLs the browser refused, with why."""

    loaded: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def traffic(page: Page) -> Traffic:
    """`page`'s requests from here on."""
    seen = Traffic()
    page.on("requestfinished", lambda request: seen.loaded.append(request.url))
    page.on("requestfailed", lambda r: seen.refused.__setitem__(r.url, r.failure or "?"))
    return seen


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
