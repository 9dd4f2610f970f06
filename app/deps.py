"""Dependency aliases, so route signatures stay short."""

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from app.config import Settings
from app.database import session_scope
from app.services.assets import AssetService, LiveAssetService, MockAssetService
from app.services.generation_logs import (
    GenerationLogService,
    LiveGenerationLogService,
    MockGenerationLogService,
)
from app.services.health import DatabaseProbe
from app.services.mock_data import MockStore


# async: a plain `def` dependency runs in the thread pool, which halved /health's throughput.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_probe(request: Request) -> DatabaseProbe | None:
    probe: DatabaseProbe | None = request.state.probe
    return probe


def get_db(request: Request) -> Iterator[Session | None]:
    """The request's session; None in mock mode, whose lifespan opens no database."""
    factory = request.state.session_factory
    if factory is None:
        yield None
    else:
        yield from session_scope(factory)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProbeDep = Annotated[DatabaseProbe | None, Depends(get_probe)]

ServiceT = TypeVar("ServiceT")


async def database_up(probe: ProbeDep) -> None:
    """While the health probe sees the database down, answer 503 at once: a request must not
    queue behind connections to a server that may never answer."""
    if probe is not None and not await probe.check():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Database unavailable")


def _service(
    mock: Callable[[MockStore], ServiceT], live: Callable[[Session], ServiceT]
) -> Callable[..., Iterator[ServiceT]]:
    """The one place that picks mock or live; live work is committed once the endpoint returns."""

    def dependency(
        _: Annotated[None, Depends(database_up)],
        request: Request,
        settings: SettingsDep,
        session: Annotated[Session | None, Depends(get_db)],
    ) -> Iterator[ServiceT]:
        if settings.mock_mode:
            yield mock(request.state.mock_store)
            return
        assert session is not None, "live mode without a session"
        yield live(session)
        session.commit()

    return dependency


# scope="function": the commit runs before the response is sent, so a failed commit is reported.
AssetServiceDep = Annotated[
    AssetService, Depends(_service(MockAssetService, LiveAssetService), scope="function")
]
GenerationLogServiceDep = Annotated[
    GenerationLogService,
    Depends(_service(MockGenerationLogService, LiveGenerationLogService), scope="function"),
]
