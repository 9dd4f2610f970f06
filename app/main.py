"""The ASGI application: `uvicorn app.main:app`, or `create_app(settings)` in tests."""

import gc
import hashlib
import json
import logging
import secrets
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app.config import ConfigError, Settings, load_settings
from app.cursors import Cursors, InvalidCursor
from app.database import create_db_engine, make_session_factory
from app.docs import OwnOriginOnly
from app.repository import MemoryRepository
from app.routers import assets, generation_logs, health
from app.services.health import DatabaseProbe, NoDatabase, Probe
from app.services.mock_data import sample_rows
from app.store import MemoryStore, SqlStore, Store

logger = logging.getLogger("app")


class State(TypedDict):
    """What requests get from the lifespan: the one place that decides mock or live."""

    probe: Probe
    store: Store


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        cursors = Cursors(cursor_key(settings))
        if settings.mock_mode:
            logger.info("MOCK_MODE is on: serving sample data, no database")
            repository = MemoryRepository(cursors, sample_rows())
            yield State(probe=NoDatabase(), store=MemoryStore(repository))
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
            await probe.check()  # a database down at start is logged once; the app serves degraded
            store = SqlStore(make_session_factory(engine), cursors, threads)
            yield State(probe=probe, store=store)
        finally:
            threads.shutdown()
            engine.dispose()
            probe_engine.dispose()

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
    if settings.cors_origins:  # outermost, so health answers carry the CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )

    @app.get("/", tags=["Root"])
    async def root() -> dict[str, str]:
        return {"message": "Welcome to the OSSGameForge API"}

    return app


def cursor_key(settings: Settings) -> bytes:
    """CURSOR_SECRET's key, shared by every process that has it; else one of this app's own."""
    if settings.cursor_secret is None:
        return secrets.token_bytes(32)
    return hashlib.sha256(b"cursors\0" + settings.cursor_secret.encode()).digest()


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 body, minus the echoed input, and safe for text that is not valid Unicode."""
    assert isinstance(exc, RequestValidationError)
    return _unprocessable([{k: v for k, v in e.items() if k != "input"} for e in exc.errors()])


async def invalid_cursor(request: Request, exc: Exception) -> Response:
    """A bad `cursor` gets the same 422 shape as any other bad query parameter."""
    return _unprocessable([{"type": "cursor", "loc": ["query", "cursor"], "msg": str(exc)}])


def _unprocessable(errors: list[dict[str, Any]]) -> Response:
    body = json.dumps({"detail": jsonable_encoder(errors)}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """503 with one generic line for any database failure; the cause goes to the log only.

    A lost connection logs its first line; anything else (an unmigrated schema, say) its trace.
    """
    lost = isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError)
    if lost or getattr(exc, "connection_invalidated", False):
        logger.error("database unavailable: %s", str(exc).strip().split("\n")[0])
    else:
        logger.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "Database unavailable"}, status_code=503)


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
