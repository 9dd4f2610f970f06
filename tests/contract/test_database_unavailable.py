"""Live mode without a working database: one generic line, soon; the cause only in the log."""

import re
import time
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import load_settings
from app.database import create_db_engine
from app.main import create_app
from tests.conftest import ClientFactory
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


@pytest.mark.parametrize(
    ("method", "path", "body"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS]
)
def test_refused_connection_is_503_within_a_second_and_logged(
    make_client: ClientFactory,
    refused_url: str,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    body: object,
) -> None:
    client = make_client("live", refused_url)
    started = time.monotonic()
    response = client.request(method, path, json=body)
    elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert elapsed < 1.0
    assert "Connection refused" in caplog.text


def test_silent_server_is_503_within_the_connect_timeout(
    make_client: ClientFactory, hung_url: str
) -> None:
    client = make_client("live", hung_url)
    started = time.monotonic()
    response = client.get("/assets")
    elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert elapsed < 3.0  # libpq's connect_timeout is at least 2 s


def test_while_the_database_is_down_every_database_route_answers_503_first(
    make_client: ClientFactory, refused_url: str
) -> None:
    client = make_client("live", refused_url)
    response = client.post("/assets", json={"path": "x"})
    health = client.get("/health")
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert health.status_code == 200


def test_seed_sample_data_with_the_database_down_is_logged_and_the_app_serves_degraded(
    refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(mock_mode=False, database_url=refused_url, seed_sample_data=True)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health/ready").status_code == 503
    assert "SEED_SAMPLE_DATA: not seeded, the database is unavailable at start" in caplog.text


@pytest.mark.integration
def test_connections_killed_by_the_server_are_replaced_not_reported(
    make_client: ClientFactory, database_url: str
) -> None:
    client = make_client("live", database_url)
    assert client.get("/assets", params={"project_id": "nobody"}).status_code == 200
    engine = admin(database_url)
    with engine.connect() as connection:
        killed = connection.execute(
            text(
                # Waits up to 5 s for each backend to end: no race with the next request.
                "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE application_name = 'ossgameforge-api'"
                " AND datname = current_database()"
            )
        ).scalar()
    engine.dispose()
    assert killed
    response = client.get("/assets", params={"project_id": "nobody"})
    assert (response.status_code, response.json()["items"]) == (200, [])


@pytest.mark.integration
def test_a_pooled_connection_is_kept_while_alive_and_replaced_once_the_server_ends_it(
    database_url: str,
) -> None:
    engine = create_db_engine(load_settings(mock_mode=False, database_url=database_url))

    def backend() -> int:
        with engine.connect() as connection:
            pid: int = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            return pid

    first = backend()
    assert backend() == first  # no false alarm on a live connection
    killer = admin(database_url)
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": first})
    killer.dispose()
    assert backend() != first  # handed a new connection, not an error
    engine.dispose()


@pytest.mark.integration
def test_a_database_without_tables_is_a_503_with_nothing_but_a_generic_line(
    make_client: ClientFactory, fresh_database: Callable[[], str], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client("live", fresh_database())
    response = client.get("/assets")
    assert (response.status_code, response.json()) == (503, {"detail": "Database unavailable"})
    assert 'relation "assets" does not exist' in caplog.text


@pytest.mark.integration
def test_a_line_logged_while_serving_a_request_names_its_request_id(
    make_client: ClientFactory,
    fresh_database: Callable[[], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = make_client("live", fresh_database())  # no tables: the error is logged with a trace
    capsys.readouterr()
    response = client.get("/assets", headers={"X-Request-ID": "trace-me-7"})
    assert response.status_code == 503
    lines = capsys.readouterr().err.splitlines()
    [error] = [line for line in lines if " ERROR " in line]
    assert error.endswith(" ERROR database error on GET /assets request_id=trace-me-7")
    assert re.search(r" INFO GET /assets 503 [0-9.]+ ms request_id=trace-me-7$", lines[-1])
