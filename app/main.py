"""The ASGI application: `uvicorn app.main:app`, or `create_app(settings)` in tests."""

import asyncio
import gc
import hashlib
import logging
import secrets
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app.config import ConfigError, Settings, load_settings
from app.cursors import Cursors, InvalidCursor
from app.database import create_db_engine, make_session_factory
from app.docs import OwnOriginOnly
from app.errors import database_error, invalid_cursor, validation_error
from app.logs import configure_logging
from app.repository import MemoryRepository
from app.request_log import RequestLog
from app.routers import assets, generation_logs, health
from app.seed import report, seed
from app.services.health import DatabaseProbe, NoDatabase, Probe, first_line
from app.services.mock_data import sample_rows
from app.store import MemoryStore, SqlStore, Store

logger = logging.getLogger("app")


class State(TypedDict):
    """What requests get from the lifespan: the one place that decides mock or live."""

    probe: Probe
    store: Store


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_format, secrets=_secrets(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        cursors = Cursors(cursor_key(settings))
        if settings.mock_mode:
            logger.info("started in MOCK_MODE: serving sample data, no database")
            repository = MemoryRepository(cursors, sample_rows())
            yield State(probe=NoDatabase(), store=MemoryStore(repository))
            logger.info("shut down")
            return
        engine = create_db_engine(settings)
        # The probe has a connection of its own: a busy pool must not look like a dead database.
        probe_engine = create_db_engine(settings, pool_size=1)
        # One thread per pooled connection: see SqlStore.
        threads = ThreadPoolExecutor(settings.db_pool_size, thread_name_prefix="db")
        try:
            probe = DatabaseProbe(
                probe_engine, timeout=settings.health_timeout, cache_ttl=settings.health_cache_ttl
            )
            up = await probe.check()  # a database down at start is logged once; serves degraded
            if settings.seed_sample_data:
                await _seed(engine, up)
            store = SqlStore(make_session_factory(engine), cursors, threads)
            logger.info("started: live mode on %s", _where(settings.sqlalchemy_url))
            yield State(probe=probe, store=store)
        finally:
            threads.shutdown()
            engine.dispose()
            probe_engine.dispose()
            logger.info("shut down: database connections closed")

    # /docs and /redoc with Swagger UI and ReDoc served by the app itself: no CDN, no internet.
    app = FastAPIOffline(
        title="OSSGameForge API",
        description="The backend service for the AI-Powered Game Creation Suite.",
        version="1.0.0",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},  # else it may send the spec to swagger.io
    )
    app.include_router(health.router)
    app.include_router(assets.router)
    app.include_router(generation_logs.router)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InvalidCursor, invalid_cursor)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(PoolTimeoutError, database_error)
    app.add_middleware(OwnOriginOnly)
    if settings.cors_origins:  # outside the others, so health answers carry the CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestLog)  # outermost: times and names every answer, preflights too

    @app.get("/", tags=["Root"])
    async def root() -> dict[str, str]:
        return {"message": "Welcome to the OSSGameForge API"}

    return app


def cursor_key(settings: Settings) -> bytes:
    """CURSOR_SECRET's key, shared by every process that has it; else one of this app's own."""
    if settings.cursor_secret is None:
        return secrets.token_bytes(32)
    return hashlib.sha256(b"cursors\0" + settings.cursor_secret.encode()).digest()


async def _seed(engine: Engine, database_up: bool) -> None:
    """SEED_SAMPLE_DATA: the samples missing from the database, before the first request."""
    if not database_up:
        logger.error("SEED_SAMPLE_DATA: not seeded, the database is unavailable at start")
        return
    try:
        counts = await asyncio.to_thread(seed, engine)
    except (DBAPIError, PoolTimeoutError) as exc:
        logger.error("SEED_SAMPLE_DATA: not seeded: %s", first_line(exc))
        return
    logger.info("%s (SEED_SAMPLE_DATA)", report(counts))


def _secrets(settings: Settings) -> list[str]:
    """What must never reach a log line."""
    password = None if settings.database_url is None else settings.sqlalchemy_url.password
    return [secret for secret in (password, settings.cursor_secret) if secret]


def _where(url: URL) -> str:
    """`database ossgameforge on db:5432 as ossgameforge_app`: no password, no URL."""
    host = url.host or str(url.query.get("host", ""))
    port = f":{url.port}" if url.port else ""
    return f"database {url.database} on {host}{port} as {url.username}"


def __getattr__(name: str) -> Any:
    # `app` is built on first access, so importing this module never reads the environment,
    # and a bad setting stops `uvicorn app.main:app` with one line instead of a traceback.
    if name != "app":
        raise AttributeError(name)
    try:
        app = create_app()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    gc.freeze()  # what is loaded by now lives as long as the process: spare it the cyclic GC
    return app
