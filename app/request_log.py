"""One log line per request, and its id in `X-Request-ID`: a pure ASGI middleware, since it is on
every request's path (`/health` included, which orchestrators call often)."""

import logging
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import REQUEST_ID

logger = logging.getLogger("app.request")
HEADER = b"x-request-id"
# An id a client or a proxy may send, used as it is; anything else gets an id of our own.
_ACCEPTED = re.compile(rb"[A-Za-z0-9._-]{1,64}")
_SERVER_ERROR = b"Internal Server Error"  # as Starlette's ServerErrorMiddleware answers
_SERVER_ERROR_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(_SERVER_ERROR)).encode()),
]


class RequestLog:
    """Logs `METHOD path status duration`, with the request's id: the `X-Request-ID` the client
    sent when it is 1-64 characters of `[A-Za-z0-9._-]`, else a new one. The answer carries the
    id in `X-Request-ID`, and every line logged while serving the request names it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope["headers"])
        REQUEST_ID.set(request_id)  # this request's task only; see app.logs.REQUEST_ID
        echo = (HEADER, request_id.encode())
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), echo]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if status is None:  # answered here, with the id: Starlette's own 500 would lack it
                start = {"type": "http.response.start", "status": 500}
                await send_with_id(start | {"headers": _SERVER_ERROR_HEADERS})
                await send_with_id({"type": "http.response.body", "body": _SERVER_ERROR})
            raise  # for the server to log, with its traceback
        finally:
            if logger.isEnabledFor(logging.INFO):
                _log(scope, status or 500, (time.perf_counter() - started) * 1000)


def _log(scope: Scope, status: int, milliseconds: float) -> None:
    """The request's line. A record made and handled directly: `logger.info` would also look up
    the caller's file and line, which no line shows, on every request."""
    method, path = scope["method"], printable(scope["path"])
    fields = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(milliseconds, 3),
    }
    args = (method, path, status, milliseconds)
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 0, "%s %s %d %.1f ms", args, None, extra=fields
    )
    logger.handle(record)


def _request_id(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == HEADER:
            if _ACCEPTED.fullmatch(value):
                return value.decode("ascii")
            break
    return secrets.token_hex(8)


def printable(path: str) -> str:
    """The path, with control characters escaped: a decoded %0A must not start a new log line."""
    return path if path.isprintable() else path.encode("unicode_escape").decode("ascii")
