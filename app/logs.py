"""The process's log lines: `LOG_FORMAT=text` for people, `json` for machines (one object per
line, the same fields). Each line logged while a request is served names its request id, and no
line holds a password or a connection URL.

`configure_logging` runs in `create_app`, so plain `uvicorn app.main:app` gets it: uvicorn's own
lines go through the same handler, and its access log is off (app/request_log.py's line replaces
it). Only the `app` loggers log at INFO; the rest at WARNING, as before (SQLAlchemy at INFO would
log every statement).
"""

import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any, Literal

# The id of the request being served. Each request runs in a task of its own (uvicorn, Starlette's
# TestClient), so a value set while serving one never reaches another.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
HANDLER_NAME = "ossgameforge"
# A URL with credentials in it, whole: `scheme://user:password@host/...`.
_URL_WITH_USER = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/@]*@[^\s'\"]*")
# What a request line carries besides its message (`extra` of the logging call).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")
MIN_SECRET = 8  # characters: a secret this long or longer is cut out of any line it is in


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (None outside a request) on each record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class _Redacting(logging.Formatter):
    """Drops URLs with credentials, and the given secrets, from every line."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Shorter ones would hide common words too; no line is meant to hold a secret anyway.
        self._secrets = tuple(secret for secret in secrets if len(secret) >= MIN_SECRET)
        self._second, self._seconds = -1, ""

    def redact(self, text: str) -> str:
        if "://" in text:
            text = _URL_WITH_USER.sub("<url hidden>", text)
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "<hidden>")
        return text

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """`2026-12-02T10:00:00.123Z` (UTC); the seconds are formatted once per second."""
        second = int(record.created)
        if second != self._second:
            self._second = second
            self._seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._seconds}.{int(record.msecs):03d}Z"


class TextFormatter(_Redacting):
    """`2026-12-02T10:00:00.123Z INFO GET /assets 200 3.2 ms request_id=...`"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {record.getMessage()}"
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line += f" request_id={request_id}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return self.redact(line)


class JsonFormatter(_Redacting):
    """`{"time": ..., "level": ..., "logger": ..., "message": ..., "request_id": ...}` and, on a
    request's line, its method, path, status and duration_ms."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        for name in REQUEST_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class _StandardError(logging.Handler):
    """Writes each line to whatever `sys.stderr` is at the time (pytest swaps it per test)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def configure_logging(
    log_format: Literal["text", "json"], *, secrets: Iterable[str] = (), levels: Iterable[str] = ()
) -> None:
    """One handler on the root logger, to standard error, in `log_format`; replaces the one a
    previous call installed and leaves other handlers alone. `secrets` (of MIN_SECRET characters
    or more) never appear in a line; the `app` loggers, and those named in `levels`, log from
    INFO up."""
    handler = _StandardError()
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter(secrets) if log_format == "json" else TextFormatter(secrets))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != HANDLER_NAME] + [handler]
    for name in ("app", *levels):
        logging.getLogger(name).setLevel(logging.INFO)
    uvicorn = logging.getLogger("uvicorn")  # its lines ("Started server process") go to ours,
    uvicorn.handlers, uvicorn.propagate = [], True  # at the level `--log-level` gave them
    access = logging.getLogger("uvicorn.access")  # off: uvicorn checks hasHandlers() per connection
    access.handlers, access.propagate = [], False
