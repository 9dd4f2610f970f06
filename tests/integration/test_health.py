import secrets
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.config import load_settings
from app.main import create_app
from tests.db import admin


def test_health_reports_the_database_ok(client: TestClient) -> None:
    for path in ("/health", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "services": {"database": "ok"}}


@pytest.fixture
def wrong_password_url(database_url: str) -> str:
    role, password = f"ogf_probe_{secrets.token_hex(4)}", secrets.token_hex(16)
    engine = admin(database_url)
    with engine.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
    url = make_url(database_url).set(username=role, password=password[::-1])
    try:
        create_engine_url = url.set(drivername="postgresql+psycopg2")
        with admin(create_engine_url.render_as_string(hide_password=False)).connect():
            pytest.skip("this server lets roles in without checking passwords")
    except Exception as exc:
        assert "password authentication failed" in str(exc)
    return url.render_as_string(hide_password=False)


def test_wrong_password_shows_as_error_within_a_second_and_leaks_nothing(
    wrong_password_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(load_settings(mock_mode=False, database_url=wrong_password_url))
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.get("/health/ready")
        elapsed = time.monotonic() - started
    assert elapsed < 1.0
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "services": {"database": "error"}}
    assert "password authentication failed" in caplog.text
