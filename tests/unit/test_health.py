import time

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory


def test_mock_mode_reports_mock_and_is_ready(mock_client: TestClient) -> None:
    body = {"status": "ok", "services": {"database": "mock"}}
    assert mock_client.get("/health").json() == body
    ready = mock_client.get("/health/ready")
    assert (ready.status_code, ready.json()) == (200, body)


def test_live_probe_answers_without_touching_anything(mock_client: TestClient) -> None:
    response = mock_client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize("url_fixture", ["refused_url", "hung_url"])
def test_unreachable_database_shows_as_error_within_a_second_and_leaks_nothing(
    make_client: ClientFactory,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
    url_fixture: str,
) -> None:
    client = make_client("live", request.getfixturevalue(url_fixture))
    for path, code in (("/health", 200), ("/health/ready", 503)):
        started = time.monotonic()
        response = client.get(path)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"{path} took {elapsed:.2f} s"
        assert response.status_code == code
        assert response.json() == {"status": "degraded", "services": {"database": "error"}}
    assert "database unavailable: " in caplog.text  # the cause went to the server log
