"""Generation logs: the live service on PostgreSQL and the mock one in memory, one protocol."""

import uuid
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session

from app.models import GenerationLog
from app.schemas.generation_logs import (
    GenerationLogCreate,
    GenerationLogPage,
    GenerationLogQuery,
    GenerationLogRead,
)
from app.services.mock_data import MockStore
from app.services.paging import newest_first


class GenerationLogService(Protocol):
    def create(self, *, data: GenerationLogCreate) -> GenerationLogRead: ...
    def find(self, *, query: GenerationLogQuery) -> GenerationLogPage: ...
    def get(self, *, log_id: uuid.UUID) -> GenerationLogRead | None: ...


class LiveGenerationLogService:
    """Reads and writes through the request's session; flushes, never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, *, data: GenerationLogCreate) -> GenerationLogRead:
        log = GenerationLog(**data.model_dump())
        self._session.add(log)
        self._session.flush()
        return GenerationLogRead.model_validate(log)

    def find(self, *, query: GenerationLogQuery) -> GenerationLogPage:
        filters = [
            (GenerationLog.user_id, query.user_id),
            (GenerationLog.status, query.status),
            (GenerationLog.model_version, query.model_version),
        ]
        rows, total = newest_first(
            self._session, GenerationLog, filters, limit=query.limit, offset=query.offset
        )
        return GenerationLogPage(
            items=[GenerationLogRead.model_validate(row) for row in rows],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    def get(self, *, log_id: uuid.UUID) -> GenerationLogRead | None:
        log = self._session.get(GenerationLog, log_id)
        return None if log is None else GenerationLogRead.model_validate(log)


class MockGenerationLogService:
    """The same contract over the app's in-memory store; never touches a database."""

    def __init__(self, store: MockStore) -> None:
        self._table = store.generation_logs

    def create(self, *, data: GenerationLogCreate) -> GenerationLogRead:
        return self._table.add(
            GenerationLogRead(id=uuid.uuid4(), **data.model_dump(), created_at=datetime.now(UTC))
        )

    def find(self, *, query: GenerationLogQuery) -> GenerationLogPage:
        def matches(log: GenerationLogRead) -> bool:
            filters = [
                (log.user_id, query.user_id),
                (log.status, query.status),
                (log.model_version, query.model_version),
            ]
            return all(wanted in (None, value) for value, wanted in filters)

        items, total = self._table.page(matches, limit=query.limit, offset=query.offset)
        return GenerationLogPage(items=items, total=total, limit=query.limit, offset=query.offset)

    def get(self, *, log_id: uuid.UUID) -> GenerationLogRead | None:
        return self._table.get(log_id)
