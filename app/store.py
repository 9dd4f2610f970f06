"""Where the lifespan's mock-or-live choice lives: `await store.run(fn, *args)` calls
`fn(repository, *args)`, the way `run_in_threadpool(fn, *args)` would call `fn(*args)`."""

import asyncio
import functools
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from app.cursors import Cursors
from app.repository import MemoryRepository, Repository, SqlRepository

P = ParamSpec("P")
R = TypeVar("R")


class Store(ABC):
    @abstractmethod
    async def run(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R: ...


class SqlStore(Store):
    """Live: the session's whole life (the work, its commit, its close) is one worker thread, so
    a request costs one thread hop, a failed commit is still reported, and a cancelled request
    never closes a session that the thread is using (the thread runs to its end). The app's
    engine autocommits each statement; the commit matters for sessions given a transaction
    (the tests' rolled-back one).

    The threads are `executor`'s (the loop's default one if None). The lifespan gives one per
    pooled connection: the work holds the GIL except while PostgreSQL answers, so a few threads
    keep the database busy, and each extra one that wants the GIL slows the event loop down.
    AnyIO's pool, behind `run_in_threadpool`, has 40; at 16 connections, 2 threads served
    16-18% more GET and POST /assets than 5 did, and 1 thread 5% more (nothing overlaps a
    wait on PostgreSQL).
    """

    def __init__(
        self, sessions: Callable[[], Session], cursors: Cursors, executor: Executor | None = None
    ) -> None:
        self._sessions = sessions
        self._cursors = cursors
        self._executor = executor

    async def run(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        work = functools.partial(self._unit_of_work, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    def _unit_of_work(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        with self._sessions() as session:  # closing rolls back whatever was not committed
            result = fn(SqlRepository(session, self._cursors), *args, **kwargs)
            session.commit()
        return result


class MemoryStore(Store):
    """Mock: in-memory tables, worked on in the event loop (no thread, nothing to commit)."""

    def __init__(self, repository: MemoryRepository) -> None:
        self._repository = repository

    async def run(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return fn(self._repository, *args, **kwargs)
