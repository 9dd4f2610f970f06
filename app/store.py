"""Where the lifespan's mock-or-live choice lives: `await store.run(fn, *args)` calls
`fn(repository, *args)`, the way `run_in_threadpool(fn, *args)` would call `fn(*args)`."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DBAPIError
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

    A pooled connection the server has dropped fails on first use (there is no pre-ping); the
    pool then replaces it and the work runs once more. That is safe because each repository
    call is one statement, so a failed one changed nothing.
    """

    def __init__(self, sessions: Callable[[], Session], cursors: Cursors) -> None:
        self._sessions = sessions
        self._cursors = cursors

    async def run(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return await run_in_threadpool(self._unit_of_work, fn, *args, **kwargs)

    def _unit_of_work(
        self, fn: Callable[Concatenate[Repository, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        try:
            return self._once(fn, *args, **kwargs)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        return self._once(fn, *args, **kwargs)

    def _once(
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
