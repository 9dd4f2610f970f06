from fastapi import APIRouter, Response, status

from app.deps import ProbeDep
from app.schemas.health import DependencyStatus, HealthRead, LiveRead, Services

router = APIRouter(prefix="/health", tags=["Health"])


async def _services(probe: ProbeDep) -> Services:
    database: DependencyStatus = "mock"
    if probe is not None:
        database = "ok" if await probe.check() else "error"
    return Services(database=database)


@router.get("", response_model=HealthRead)
async def health(probe: ProbeDep) -> HealthRead:
    """Reports each dependency; a failing database shows as `error` within the health timeout."""
    return HealthRead.of(await _services(probe))


@router.get("/live", response_model=LiveRead)
async def live() -> LiveRead:
    """The process answers; touches nothing else."""
    return LiveRead()


@router.get(
    "/ready",
    response_model=HealthRead,
    responses={503: {"model": HealthRead, "description": "A required dependency is down"}},
)
async def ready(probe: ProbeDep, response: Response) -> HealthRead:
    """200 when every required dependency is ok (or mocked), else 503."""
    body = HealthRead.of(await _services(probe))
    if body.status != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return body
