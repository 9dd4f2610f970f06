"""PlainRoutes answers the health routes ahead of FastAPI exactly as FastAPI's routes would."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import load_settings
from app.main import create_app
from app.plain_routes import PlainRoute, PlainRoutes
from app.routers import health

PATHS = ["/health", "/health/live", "/health/ready"]


class Reached:
    """Innermost middleware: records the requests that got past PlainRoutes to routing."""

    def __init__(self, app: ASGIApp, seen: list[tuple[str, str]]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def test_the_apps_health_routes_are_answered_ahead_of_fastapi() -> None:
    app = create_app(load_settings(mock_mode=True, database_url=None))
    assert app.user_middleware[0].cls is PlainRoutes  # outermost: added last
    documented = app.openapi()["paths"]
    served = PlainRoutes(app=app, router=health.router).endpoints
    assert sorted(served) == [("GET", path) for path in PATHS]
    assert all(path in documented for _, path in served)  # same paths as FastAPI's routes


@pytest.mark.parametrize("database_url", [None, "refused_url"], ids=["mock", "database down"])
def test_answers_match_those_of_fastapis_routes(
    request: pytest.FixtureRequest, database_url: str | None
) -> None:
    url = database_url and request.getfixturevalue(database_url)
    settings = load_settings(mock_mode=url is None, database_url=url)
    plain, routed = create_app(settings), create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not PlainRoutes]
    reached: dict[str, list[tuple[str, str]]] = {"plain": [], "routed": []}
    plain.add_middleware(Reached, seen=reached["plain"])  # type: ignore[arg-type]
    plain.user_middleware.append(plain.user_middleware.pop(0))  # innermost
    routed.add_middleware(Reached, seen=reached["routed"])  # type: ignore[arg-type]
    requests = [(method, path) for method in ("GET", "HEAD", "POST") for path in PATHS]
    with TestClient(plain) as first, TestClient(routed) as second:
        for method, path in requests:
            a, b = first.request(method, path), second.request(method, path)
            assert (a.status_code, a.headers, a.content) == (b.status_code, b.headers, b.content)
    assert reached == {"plain": requests[len(PATHS) :], "routed": requests}


def test_a_request_fastapi_traces_goes_on_to_its_route() -> None:
    seen: list[tuple[str, str]] = []
    plain = PlainRoutes(app=Reached(lambda *_: asyncio.sleep(0), seen), router=health.router)
    scope = {"type": "http", "method": "GET", "path": "/health/live", "fastapi.telemetry": 1}
    asyncio.run(plain(scope, lambda: asyncio.sleep(0), lambda _: asyncio.sleep(0)))
    assert seen == [("GET", "/health/live")]


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
