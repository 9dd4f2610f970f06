"""`nox -s dev -- --mock`: what a frontend dev server on this machine gets from it."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from app.config import DEV_ORIGINS
from tests.db import ROOT
from tools.ports import free_ports


@pytest.fixture
def dev_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """`python -m tools.devserver --mock` on a free port, with CORS_ORIGINS as the test says."""
    port = free_ports(1)[0]
    env = {k: v for k, v in os.environ.items() if k not in ("CORS_ORIGINS", "DATABASE_URL")}
    env |= request.param
    command = [sys.executable, "-m", "tools.devserver", "--mock", "--no-reload"]
    server = subprocess.Popen(
        [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a loaded machine starts Python slowly
        while True:
            try:
                urllib.request.urlopen(f"{url}/health/live", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, f"the dev server exited with {server.returncode}"
                assert time.monotonic() < deadline, "the dev server did not answer in 60 s"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def allowed_origin(url: str, origin: str) -> str | None:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    request = urllib.request.Request(f"{url}/assets", headers=headers, method="OPTIONS")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            origin_header: str | None = response.headers.get("access-control-allow-origin")
    except urllib.error.HTTPError as error:
        origin_header = error.headers.get("access-control-allow-origin")
    return origin_header


@pytest.mark.parametrize("dev_server", [{}], indirect=True)
def test_dev_server_allows_the_four_local_frontend_origins_by_default(dev_server: str) -> None:
    for origin in DEV_ORIGINS:
        assert allowed_origin(dev_server, origin) == origin
    assert allowed_origin(dev_server, "http://localhost:8080") is None


@pytest.mark.parametrize("dev_server", [{"CORS_ORIGINS": "http://localhost:8080"}], indirect=True)
def test_dev_server_takes_cors_origins_when_set(dev_server: str) -> None:
    assert allowed_origin(dev_server, "http://localhost:8080") == "http://localhost:8080"
    assert allowed_origin(dev_server, DEV_ORIGINS[0]) is None
