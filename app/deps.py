"""Dependency aliases, so route signatures stay short."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from app.config import Settings
from app.services.assets import AssetService, LiveAssetService, MockAssetService
from app.services.generation_logs import (
    GenerationLogService,
    LiveGenerationLogService,
    MockGenerationLogService,
)
from app.services.health import DatabaseProbe
from app.services.mock_data import MockStore


# async: a plain `def` dependency would cost a thread-pool hop on every request.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_probe(request: Request) -> DatabaseProbe | None:
    probe: DatabaseProbe | None = request.state.probe
    return probe


async def get_sessions(request: Request) -> Callable[[], Session] | None:
    """The session factory; None in mock mode, whose lifespan opens no database."""
    sessions: Callable[[], Session] | None = request.state.session_factory
    return sessions


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProbeDep = Annotated[DatabaseProbe | None, Depends(get_probe)]

ServiceT = TypeVar("ServiceT")
ResultT = TypeVar("ResultT")
ServiceT_co = TypeVar("ServiceT_co", covariant=True)


class ServiceCall(Protocol[ServiceT_co]):
    """`await call(lambda service: service.find(...))`. Live, the session's whole life (work,
    commit, close) is one worker thread: a request costs one thread hop, a failed commit is
    still reported, and a cancelled request never closes a session that thread is using."""

    async def __call__(self, work: Callable[[ServiceT_co], ResultT], /) -> ResultT: ...


async def database_up(probe: ProbeDep) -> None:
    """While the health probe sees the database down, answer 503 at once: a request must not
    queue behind connections to a server that may never answer."""
    if probe is not None and not await probe.check():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Database unavailable")


def _service(
    mock: Callable[[MockStore], ServiceT], live: Callable[[Session], ServiceT]
) -> Callable[..., Awaitable[ServiceCall[ServiceT]]]:
    """The one place that picks mock or live."""

    async def dependency(
        _: Annotated[None, Depends(database_up)],
        request: Request,
        settings: SettingsDep,
        sessions: Annotated[Callable[[], Session] | None, Depends(get_sessions)],
    ) -> ServiceCall[ServiceT]:
        if settings.mock_mode:
            service = mock(request.state.mock_store)

            async def in_memory(work: Callable[[ServiceT], ResultT]) -> ResultT:
                return work(service)

            return in_memory
        assert sessions is not None, "live mode without a session factory"

        async def in_transaction(work: Callable[[ServiceT], ResultT]) -> ResultT:
            return await run_in_threadpool(_transaction, sessions, live, work)

        return in_transaction

    return dependency


def _transaction(
    sessions: Callable[[], Session],
    live: Callable[[Session], ServiceT],
    work: Callable[[ServiceT], ResultT],
) -> ResultT:
    with sessions() as session:  # closing rolls back whatever was not committed
        result = work(live(session))
        session.commit()
    return result


AssetsDep = Annotated[
    ServiceCall[AssetService], Depends(_service(MockAssetService, LiveAssetService))
]
GenerationLogsDep = Annotated[
    ServiceCall[GenerationLogService],
    Depends(_service(MockGenerationLogService, LiveGenerationLogService)),
]
