"""The ASGI application: `uvicorn app.main:app`, or `create_app(settings)` in tests."""

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from app.config import ConfigError, Settings, load_settings
from app.database import create_db_engine, make_session_factory
from app.routers import health
from app.services.health import DatabaseProbe

logger = logging.getLogger("app")


class State(TypedDict):
    probe: DatabaseProbe | None
    session_factory: sessionmaker[Session] | None


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        if settings.mock_mode:
            logger.info("MOCK_MODE is on: serving sample data, no database")
            yield State(probe=None, session_factory=None)
            return
        engine = create_db_engine(settings)
        probe = DatabaseProbe(
            engine, timeout=settings.health_timeout, cache_ttl=settings.health_cache_ttl
        )
        if not await probe.check():
            logger.warning("database unreachable at startup; serving, /health reports the error")
        try:
            yield State(probe=probe, session_factory=make_session_factory(engine))
        finally:
            engine.dispose()

    app = FastAPI(
        title="OSSGameForge API",
        description="The backend service for the AI-Powered Game Creation Suite.",
        version="1.0.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)

    @app.get("/", tags=["Root"])
    async def root() -> dict[str, str]:
        return {"message": "Welcome to the OSSGameForge API"}

    return app


def __getattr__(name: str) -> Any:
    # `app` is built on first access, so importing this module never reads the environment,
    # and a bad setting stops `uvicorn app.main:app` with one line instead of a traceback.
    if name != "app":
        raise AttributeError(name)
    try:
        return create_app()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
