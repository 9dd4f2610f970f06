"""Health endpoints, called often by orchestrators and load balancers, so kept cheap: each
answer is one of a few JSON bodies encoded at import, sent without FastAPI's per-request work."""

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, get_args

from fastapi import APIRouter, Request, Response, status
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.schemas.health import DependencyStatus, HealthRead, LiveRead, Services
from app.services.health import DatabaseProbe


class PlainRoute(APIRoute):
    """For an endpoint that takes only the Request and returns a Response: no dependency solving
    and no response validation per request (on this machine /health/live costs 35 µs of app
    time instead of 75). The OpenAPI entry still comes from the route's `response_model`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        parameters = list(inspect.signature(endpoint).parameters)
        if parameters != ["request"] or self.dependant.dependencies:
            raise TypeError(f"{path}: a PlainRoute endpoint takes `request` only, no dependencies")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return self.endpoint


def _json(model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


_LIVE = _json(LiveRead())
_HEALTH = {db: _json(HealthRead.of(Services(database=db))) for db in get_args(DependencyStatus)}

router = APIRouter(prefix="/health", tags=["Health"], route_class=PlainRoute)


async def _database(request: Request) -> DependencyStatus:
    probe: DatabaseProbe | None = request.state.probe
    if probe is None:
        return "mock"
    return "ok" if await probe.check() else "error"


@router.get("", response_model=HealthRead)
async def health(request: Request) -> Response:
    """Reports each dependency; a failing database shows as `error` within the health timeout."""
    return Response(_HEALTH[await _database(request)], media_type="application/json")


@router.get("/live", response_model=LiveRead)
async def live(request: Request) -> Response:
    """The process answers; touches nothing else."""
    return Response(_LIVE, media_type="application/json")


@router.get(
    "/ready",
    response_model=HealthRead,
    responses={503: {"model": HealthRead, "description": "A required dependency is down"}},
)
async def ready(request: Request) -> Response:
    """200 when every required dependency is ok (or mocked), else 503."""
    database = await _database(request)
    code = status.HTTP_503_SERVICE_UNAVAILABLE if database == "error" else status.HTTP_200_OK
    return Response(_HEALTH[database], status_code=code, media_type="application/json")
