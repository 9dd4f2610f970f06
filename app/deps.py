"""Dependency aliases, so route signatures stay short. The objects come from the lifespan's state.

async: a plain `def` dependency would cost a thread-pool hop on every request.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.services.health import Probe
from app.store import Store


async def get_probe(request: Request) -> Probe:
    probe: Probe = request.state.probe
    return probe


async def get_store(request: Request) -> Store:
    store: Store = request.state.store
    return store


ProbeDep = Annotated[Probe, Depends(get_probe)]
StoreDep = Annotated[Store, Depends(get_store)]


async def database_up(probe: ProbeDep) -> None:
    """While the health probe sees the database down, answer 503 at once: a request must not
    queue behind connections to a server that may never answer."""
    if await probe.status() == "error":
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Database unavailable")
