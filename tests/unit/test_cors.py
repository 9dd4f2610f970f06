"""CORS_ORIGINS: the browser origins allowed to call the API (Starlette's CORSMiddleware)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import ConfigError, load_settings
from app.main import create_app
from tests.unit.test_startup_errors import UVICORN, run

VITE = "http://localhost:5173"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


@pytest.fixture
def api() -> Iterator[TestClient]:
    settings = load_settings(mock_mode=True, cors_origins=f"{VITE}, http://127.0.0.1:3000")
    with TestClient(create_app(settings)) as client:
        yield client


def test_preflight_from_a_listed_origin_allows_a_json_post(api: TestClient) -> None:
    response = api.options("/assets", headers={"Origin": VITE, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == VITE
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "content-type"


@pytest.mark.parametrize("path", ["/assets", "/generation-logs", "/health", "/"])
def test_answers_to_a_listed_origin_name_it(api: TestClient, path: str) -> None:
    response = api.get(path, headers={"Origin": "http://127.0.0.1:3000"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"


@pytest.mark.parametrize("origin", ["http://localhost:5174", "https://localhost:5173", "null"])
def test_an_origin_not_listed_gets_no_allow_origin(api: TestClient, origin: str) -> None:
    preflight = api.options("/assets", headers={"Origin": origin, **PREFLIGHT})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    answer = api.get("/assets", headers={"Origin": origin})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


def test_unset_means_no_cross_origin_access(mock_client: TestClient) -> None:
    preflight = mock_client.options("/assets", headers={"Origin": VITE, **PREFLIGHT})
    assert preflight.status_code == 405
    answer = mock_client.get("/assets", headers={"Origin": VITE})
    assert "access-control-allow-origin" not in answer.headers


def test_origins_are_trimmed_and_lower_cased(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", " HTTP://LocalHost:5173 ,,https://app.example ")
    settings = load_settings(mock_mode=True)
    assert settings.cors_origins == (VITE, "https://app.example")


@pytest.mark.parametrize(
    "origin",
    [
        "localhost:5173",
        "http://localhost:5173/",
        "http://localhost:5173/app",
        "http://localhost:5173?x=1",
        "http://user@localhost:5173",
        "http://localhost:99999",
        "ftp://localhost",
        "*",
    ],
)
def test_a_malformed_origin_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", f"{VITE},{origin}")
    with pytest.raises(ConfigError) as error:
        load_settings(mock_mode=True)
    assert str(error.value) == (
        "CORS_ORIGINS must be comma-separated origins like http://localhost:5173 "
        f"(scheme://host[:port], no path), got {origin!r}"
    )


def test_a_malformed_origin_stops_the_server_with_one_line() -> None:
    result = run(UVICORN, {"MOCK_MODE": "true", "CORS_ORIGINS": "http://localhost:5173/app"})
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "error: CORS_ORIGINS must be comma-separated origins like http://localhost:5173 "
        "(scheme://host[:port], no path), got 'http://localhost:5173/app'"
    ]
