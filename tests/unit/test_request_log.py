"""The request log: one line per request (method, path, status, duration, request id) in
LOG_FORMAT's form, and the request id in X-Request-ID, taken from the client when it is valid."""

import contextlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import httpx2
import pytest
from fastapi.testclient import TestClient

from app.config import load_settings
from app.main import create_app
from tests.contract.shapes import asset_body
from tools.load import uvicorn_server

TEXT_LINE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<level>[A-Z]+) (?P<method>[A-Z]+)"
    r" (?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d) ms request_id=(?P<id>\S+)"
)
NEW_ID = re.compile(r"[0-9a-f]{16}")
Serve = Callable[[Literal["text", "json"]], TestClient]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """`serve("text")`: a mock-mode app logging in that format, its lifespan entered."""
    with contextlib.ExitStack() as stack:

        def start(log_format: Literal["text", "json"]) -> TestClient:
            settings = load_settings(mock_mode=True, log_format=log_format)
            return stack.enter_context(TestClient(create_app(settings)))

        yield start


def error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_each_request_is_one_text_line_naming_method_path_status_duration_and_id(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    client = serve("text")
    path = f"/assets/{uuid.uuid4()}"
    capsys.readouterr()
    response = client.get(path, headers={"X-Request-ID": "client-42"})
    [line] = error_lines(capsys)
    found = TEXT_LINE.fullmatch(line)
    assert found, line
    assert (found["level"], found["method"], found["path"], found["status"], found["id"]) == (
        "INFO",
        "GET",
        path,
        "404",
        "client-42",
    )
    assert response.headers["x-request-id"] == "client-42"


def test_json_lines_are_one_object_each_with_the_same_fields(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    client = serve("json")
    capsys.readouterr()
    response = client.post("/assets", json=asset_body("logs"), headers={"X-Request-ID": "r.1"})
    [entry] = [json.loads(line) for line in error_lines(capsys)]
    assert entry.keys() == {
        "time",
        "level",
        "logger",
        "message",
        "method",
        "path",
        "status",
        "duration_ms",
        "request_id",
    }
    assert (entry["method"], entry["path"], entry["status"], entry["request_id"]) == (
        "POST",
        "/assets",
        201,
        "r.1",
    )
    assert entry["level"] == "INFO" and 0 < entry["duration_ms"] < 10_000
    assert entry["message"] == f"POST /assets 201 {entry['duration_ms']:.1f} ms"
    assert response.headers["x-request-id"] == "r.1"


@pytest.mark.parametrize("sent", ["a", "x" * 64, "Az.09_-"], ids=["one", "64", "every-kind"])
def test_a_valid_request_id_is_used_and_echoed(
    serve: Serve, capsys: pytest.CaptureFixture[str], sent: str
) -> None:
    client = serve("text")
    capsys.readouterr()
    assert (
        client.get("/health/live", headers={"X-Request-ID": sent}).headers["x-request-id"] == sent
    )
    assert error_lines(capsys)[-1].endswith(f" request_id={sent}")


@pytest.mark.parametrize(
    "sent",
    ["", "x" * 65, "has space", "semi;colon", "slash/es", "<b>"],
    ids=["empty", "65", "space", "semicolon", "slash", "markup"],
)
def test_an_invalid_request_id_is_replaced_by_a_new_one(
    serve: Serve, capsys: pytest.CaptureFixture[str], sent: str
) -> None:
    client = serve("text")
    capsys.readouterr()
    echoed = client.get("/health/live", headers={"X-Request-ID": sent}).headers["x-request-id"]
    assert NEW_ID.fullmatch(echoed)
    assert error_lines(capsys)[-1].endswith(f" request_id={echoed}")


def test_requests_without_an_id_get_one_each(serve: Serve) -> None:
    client = serve("text")
    echoed = {client.get("/health/live").headers["x-request-id"] for _ in range(20)}
    assert len(echoed) == 20 and all(NEW_ID.fullmatch(value) for value in echoed)


def test_a_path_with_a_line_break_stays_on_one_line(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    client = serve("text")
    capsys.readouterr()
    client.get("/assets%0AINFO forged line")
    [line] = error_lines(capsys)
    assert "/assets\\nINFO forged line 404" in line


def test_plain_uvicorn_logs_json_lines_only_with_its_access_log_off(tmp_path: Path) -> None:
    """`uvicorn app.main:app`, as the Dockerfile runs it: uvicorn's own lines in our format, a
    line at start and at shutdown, and our request line instead of uvicorn's access line."""
    log = tmp_path / "uvicorn.log"
    with uvicorn_server({"MOCK_MODE": "true", "LOG_FORMAT": "json"}, log) as server:
        httpx2.get(f"{server.url}/health/live", headers={"X-Request-ID": "from-a-proxy"})
    entries: list[dict[str, Any]] = [json.loads(line) for line in log.read_text().splitlines()]
    messages = [entry["message"] for entry in entries]
    assert "started in MOCK_MODE: serving sample data, no database" in messages
    assert messages[-3:-1] == ["shut down", "Application shutdown complete."]
    [live] = [entry for entry in entries if entry.get("request_id") == "from-a-proxy"]
    assert (live["method"], live["path"], live["status"]) == ("GET", "/health/live", 200)
    assert not [message for message in messages if "HTTP/1.1" in message]  # uvicorn's access line


def test_an_unhandled_error_is_a_500_that_still_carries_the_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(load_settings(mock_mode=True, log_format="text"))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        capsys.readouterr()
        response = client.get("/boom", headers={"X-Request-ID": "oops-1"})
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert response.headers["x-request-id"] == "oops-1"
    [line] = [line for line in error_lines(capsys) if " GET /boom " in line]
    found = TEXT_LINE.fullmatch(line)
    assert found and (found["status"], found["id"]) == ("500", "oops-1"), line
