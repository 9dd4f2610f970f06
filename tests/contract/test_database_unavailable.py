"""Live mode without a working database: one generic line, soon; the cause only in the log."""

import time
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import load_settings
from app.main import create_app
from tests.contract.shapes import asset_body, log_body
from tests.db import admin

ANY_ID = uuid.uuid4()
REQUESTS = [
    ("POST", "/assets", asset_body("p")),
    ("GET", "/assets", None),
    ("GET", f"/assets/{ANY_ID}", None),
    ("PATCH", f"/assets/{ANY_ID}", {"status": "ready"}),
    ("POST", "/generation-logs", log_body("u")),
    ("GET", "/generation-logs", None),
    ("GET", f"/generation-logs/{ANY_ID}", None),
]
UNAVAILABLE = {"detail": "Database unavailable"}


def live_app(url: str) -> TestClient:
    return TestClient(create_app(load_settings(mock_mode=False, database_url=url)))


@pytest.mark.parametrize(
    ("method", "path", "body"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS]
)
def test_refused_connection_is_503_within_a_second_and_logged(
    refused_url: str, caplog: pytest.LogCaptureFixture, method: str, path: str, body: object
) -> None:
    with live_app(refused_url) as client:
        started = time.monotonic()
        response = client.request(method, path, json=body)
        elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert elapsed < 1.0
    assert "Connection refused" in caplog.text


def test_silent_server_is_503_within_the_connect_timeout(hung_url: str) -> None:
    with live_app(hung_url) as client:
        started = time.monotonic()
        response = client.get("/assets")
        elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert elapsed < 3.0  # libpq's connect_timeout is at least 2 s


def test_while_the_database_is_down_every_database_route_answers_503_first(
    refused_url: str,
) -> None:
    with live_app(refused_url) as client:
        response = client.post("/assets", json={"path": "x"})
        health = client.get("/health")
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert health.status_code == 200


@pytest.mark.integration
def test_connections_killed_by_the_server_are_replaced_not_reported(database_url: str) -> None:
    with live_app(database_url) as client:
        assert client.get("/assets", params={"project_id": "nobody"}).status_code == 200
        engine = admin(database_url)
        with engine.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = 'ossgameforge-api'"
                    " AND datname = current_database()"
                )
            ).scalar()
        engine.dispose()
        assert killed
        response = client.get("/assets", params={"project_id": "nobody"})
    assert (response.status_code, response.json()["total"]) == (200, 0)


@pytest.mark.integration
def test_a_database_without_tables_is_a_503_with_nothing_but_a_generic_line(
    fresh_database: Callable[[], str], caplog: pytest.LogCaptureFixture
) -> None:
    with live_app(fresh_database()) as client:
        response = client.get("/assets")
    assert (response.status_code, response.json()) == (503, {"detail": "Database unavailable"})
    assert 'relation "assets" does not exist' in caplog.text
