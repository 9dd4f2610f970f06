"""Health endpoints, called often by orchestrators and load balancers, so kept cheap: the probe
is shared and cached, and each answer is one of a few JSON bodies encoded at import."""

from typing import get_args

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from app.deps import ProbeDep
from app.schemas.health import DependencyStatus, HealthRead, LiveRead, Services


def _json(model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


_LIVE = _json(LiveRead())
_HEALTH = {db: _json(HealthRead.of(Services(database=db))) for db in get_args(DependencyStatus)}

router = APIRouter(prefix="/health", tags=["Health"])


@router.get("", response_model=HealthRead)
async def health(probe: ProbeDep) -> Response:
    """Reports each dependency; a failing database shows as `error` within the health timeout."""
    return Response(_HEALTH[await probe.status()], media_type="application/json")


@router.get("/live", response_model=LiveRead)
async def live() -> Response:
    """The process answers; touches nothing else."""
    return Response(_LIVE, media_type="application/json")


@router.get(
    "/ready",
    response_model=HealthRead,
    responses={503: {"model": HealthRead, "description": "A required dependency is down"}},
)
async def ready(probe: ProbeDep) -> Response:
    """200 when every required dependency is ok (or mocked), else 503."""
    database = await probe.status()
    code = status.HTTP_503_SERVICE_UNAVAILABLE if database == "error" else status.HTTP_200_OK
    return Response(_HEALTH[database], status_code=code, media_type="application/json")
