"""The database probe behind /health: bounded in time, shared by concurrent callers."""

import asyncio
import logging
import time

from sqlalchemy import Engine, text

logger = logging.getLogger(__name__)


class DatabaseProbe:
    """Runs `SELECT 1` at most once per `cache_ttl` seconds, however many requests ask.

    Concurrent callers share the probe in flight, and each waits at most `timeout` seconds
    for it, so a hung server shows as an error within the bound and never piles up threads.
    """

    def __init__(self, engine: Engine, *, timeout: float, cache_ttl: float) -> None:
        self._engine = engine
        self._timeout = timeout
        self._cache_ttl = cache_ttl
        self._result: tuple[float, bool] | None = None
        self._in_flight: asyncio.Future[bool] | None = None

    async def check(self) -> bool:
        now = time.monotonic()
        if self._result is not None and now - self._result[0] < self._cache_ttl:
            return self._result[1]
        if self._in_flight is None or self._in_flight.done():
            self._in_flight = asyncio.get_running_loop().run_in_executor(None, self._select_one)
            self._in_flight.add_done_callback(self._remember)
        try:
            return await asyncio.wait_for(asyncio.shield(self._in_flight), self._timeout)
        except TimeoutError:
            logger.error("database probe timed out after %.2f s", self._timeout)
            return False

    def _select_one(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure is "error"; the cause goes to the log only
            logger.error("database probe failed: %s", str(exc).strip().splitlines()[0])
            return False
        return True

    def _remember(self, future: asyncio.Future[bool]) -> None:
        if not future.cancelled():
            self._result = (time.monotonic(), future.result())
