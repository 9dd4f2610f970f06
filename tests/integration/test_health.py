import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory
from tests.db import Database, admin


def test_health_reports_the_database_ok(client: TestClient) -> None:
    for path in ("/health", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "services": {"database": "ok"}}


def test_wrong_password_shows_as_error_within_a_second_and_leaks_nothing(
    make_client: ClientFactory,
    database: Database,
    wrong_password: Callable[[str], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = wrong_password(database.owner_url)
    with pytest.raises(Exception, match="password authentication failed"):
        admin(url).connect()  # the server checks passwords, so the app must see a refusal
    client = make_client("live", url)
    started = time.monotonic()
    response = client.get("/health/ready")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "services": {"database": "error"}}
    assert "password authentication failed" in caplog.text
