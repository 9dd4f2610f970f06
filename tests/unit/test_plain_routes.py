"""PlainRoutes answers the health routes ahead of FastAPI exactly as FastAPI's routes would."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from app.config import load_settings
from app.main import create_app
from app.plain_routes import PlainRoute, PlainRoutes
from app.routers import health

PATHS = ["/health", "/health/live", "/health/ready"]


def test_the_health_routes_are_answered_ahead_of_fastapi() -> None:
    served = PlainRoutes(app=lambda *_: None, router=health.router).endpoints
    assert sorted(served) == [("GET", path) for path in PATHS]


@pytest.mark.parametrize("database_url", [None, "refused_url"], ids=["mock", "database down"])
def test_answers_match_those_of_fastapis_routes(
    request: pytest.FixtureRequest, database_url: str | None
) -> None:
    url = database_url and request.getfixturevalue(database_url)
    settings = load_settings(mock_mode=url is None, database_url=url)
    plain, routed = create_app(settings), create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not PlainRoutes]
    with TestClient(plain) as first, TestClient(routed) as second:
        for method in ("GET", "HEAD", "POST"):
            for path in PATHS:
                a, b = first.request(method, path), second.request(method, path)
                assert (a.status_code, a.headers, a.content) == (
                    b.status_code,
                    b.headers,
                    b.content,
                ), f"{method} {path}"


@pytest.mark.parametrize(
    ("path", "endpoint", "dependencies"),
    [
        ("/x", lambda request, verbose=False: None, []),
        ("/x", lambda request: None, [Depends(lambda: None)]),
        ("/x/{name}", lambda request: None, []),
    ],
    ids=["a parameter besides request", "a router dependency", "a path parameter"],
)
def test_a_plain_route_refuses_what_it_would_silently_skip(
    path: str, endpoint: Callable[..., Any], dependencies: list[Any]
) -> None:
    router = APIRouter(route_class=PlainRoute, dependencies=dependencies)
    with pytest.raises(TypeError, match="endpoint takes `request` only, no dependencies"):
        router.add_api_route(path, endpoint)
