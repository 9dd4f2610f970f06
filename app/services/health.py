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


class NoDatabase:
    """Mock mode's probe: there is no database to watch."""

    async def status(self) -> DependencyStatus:
        return "mock"


class DatabaseProbe:
    """Runs `SELECT 1` at most once per `cache_ttl` seconds, however many requests ask.

    Once the last answer is `cache_ttl` old, the next caller starts a probe; until the answer is
    `cache_ttl + timeout` old, callers get it at once instead of waiting for that probe. Older,
    they share the probe in flight and none waits past `timeout` from its start. So an answer
    comes within `timeout`, lags the database by at most `cache_ttl + timeout`, and a hung
    server never piles up threads. The log gets one line when the database goes away and one
    when it is back.
    """

    def __init__(self, engine: Engine, *, timeout: float, cache_ttl: float) -> None:
        self._engine = engine
        self._timeout = timeout
        self._cache_ttl = cache_ttl
        self._result: tuple[float, bool] | None = None
        self._failure: str | None = None
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
            cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
            return (str(cause).strip() or type(cause).__name__).splitlines()[0]
        return None

    def _remember(self, future: asyncio.Future[str | None]) -> None:
        if not future.cancelled():
            self._settle(future.result())

    def _settle(self, failure: str | None) -> None:
        self._result = (time.monotonic(), failure is None)
        if failure is not None and self._failure is None:
            logger.error("database probe failed: %s", failure)
        elif failure is None and self._failure is not None:
            logger.warning("database probe ok again")
        self._failure = failure
