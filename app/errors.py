"""The app's exception handlers: the answers a client gets when a request goes wrong."""

import json
import logging
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app.request_log import printable
from app.services.health import Probe, first_line

logger = logging.getLogger("app")


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

    A lost connection is the health probe's to log (once per outage, not once per request);
    anything else (an unmigrated schema, a privilege the role lacks) logs its trace.
    """
    lost = isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError)
    if lost or getattr(exc, "connection_invalidated", False):
        probe: Probe = request.state.probe
        probe.lost(first_line(exc))
    else:
        path = printable(request.url.path)
        logger.error("database error on %s %s", request.method, path, exc_info=exc)
    return JSONResponse({"detail": "Database unavailable"}, status_code=503)
