"""The database probes behind /health; the lifespan picks one."""

import asyncio
import logging
import time
from typing import Protocol

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from app.schemas.health import DependencyStatus

logger = logging.getLogger(__name__)


class Probe(Protocol):
    async def status(self) -> DependencyStatus: ...

    def lost(self, cause: str) -> None:
        """A request found the database unreachable (`cause`: the first line of why)."""


class NoDatabase:
    """Mock mode's probe: there is no database to watch."""

    async def status(self) -> DependencyStatus:
        return "mock"

    def lost(self, cause: str) -> None:
        pass


def first_line(exc: BaseException) -> str:
    """The first line of why a database call failed, without the driver's and SQLAlchemy's names."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    return (str(cause).strip() or type(cause).__name__).splitlines()[0]


class DatabaseProbe:
    """Runs `SELECT 1` at most once per `cache_ttl` seconds, however many requests ask.

    Once the last answer is `cache_ttl` old, the next caller starts a probe; until the answer is
    `cache_ttl + timeout` old, callers get it at once instead of waiting for that probe. Older,
    they share the probe in flight and none waits past `timeout` from its start. So an answer
    comes within `timeout`, lags the database by at most `cache_ttl + timeout`, and a hung
    server never piles up threads.

    The probe keeps the log of outages: one line when the database goes away (seen by a probe,
    or by a request that reports it with `lost`), one when it is back; nothing per request.
    """

    def __init__(self, engine: Engine, *, timeout: float, cache_ttl: float) -> None:
        self._engine = engine
        self._timeout = timeout
        self._cache_ttl = cache_ttl
        self._result: tuple[float, bool] | None = None
        self._failure: str | None = None
        self._down_since = 0.0
        self._in_flight: asyncio.Future[str | None] | None = None
        self._deadline = 0.0

    async def status(self) -> DependencyStatus:
        return "ok" if await self.check() else "error"

    async def check(self) -> bool:
        now = time.monotonic()
        if self._result is not None and now - self._result[0] < self._cache_ttl:
            return self._result[1]
        if self._in_flight is None or self._in_flight.done():
            self._in_flight = asyncio.get_running_loop().run_in_executor(None, self._select_one)
            self._in_flight.add_done_callback(self._remember)
            self._deadline = now + self._timeout
        if self._result is not None and now - self._result[0] < self._cache_ttl + self._timeout:
            return self._result[1]
        try:
            failure = await asyncio.wait_for(asyncio.shield(self._in_flight), self._deadline - now)
        except TimeoutError:
            failure = f"no answer within {self._timeout:.2f} s"
            self._settle(failure)
        return failure is None

    def _select_one(self) -> str | None:
        """None if the database answers, else the first line of why not (driver names dropped)."""
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure is "error"; the cause goes to the log only
            return first_line(exc)
        return None

    def lost(self, cause: str) -> None:
        """Logs the outage unless it is known already; the next caller waits for a new probe."""
        self._result = None
        self._settle_failure(cause)

    def _remember(self, future: asyncio.Future[str | None]) -> None:
        if not future.cancelled():
            self._settle(future.result())

    def _settle(self, failure: str | None) -> None:
        self._result = (time.monotonic(), failure is None)
        if failure is not None:
            self._settle_failure(failure)
        elif self._failure is not None:
            down = time.monotonic() - self._down_since
            logger.warning("database available again after %.1f s", down)
            self._failure = None

    def _settle_failure(self, failure: str) -> None:
        if self._failure is None:
            logger.error("database unavailable: %s", failure)
            self._down_since = time.monotonic()
        self._failure = failure
