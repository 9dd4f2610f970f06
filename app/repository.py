"""The few data operations the services use, each written once for PostgreSQL and once for memory.

Filters are equalities on model attributes (a value of None matches every row); lists are newest
first, `created_at` descending and then `id` descending.
"""

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from app.models.core_models import Record

RecordT = TypeVar("RecordT", bound=Record)
Filters = Mapping[str, object]


class Repository(ABC):
    @abstractmethod
    def add(self, row: RecordT) -> RecordT:
        """Store a new row whose every field is set."""

    @abstractmethod
    def get(self, model: type[RecordT], row_id: uuid.UUID) -> RecordT | None: ...

    @abstractmethod
    def update(
        self, model: type[RecordT], row_id: uuid.UUID, changes: Mapping[str, object]
    ) -> RecordT | None:
        """Set the attributes in `changes` on one row; the row as it is now, or None."""

    @abstractmethod
    def newest(
        self, model: type[RecordT], filters: Filters, *, limit: int, offset: int
    ) -> list[RecordT]: ...

    @abstractmethod
    def count(self, model: type[RecordT], filters: Filters) -> int: ...


class SqlRepository(Repository):
    """On the session a store opened for one unit of work; flushes, never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: RecordT) -> RecordT:
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, model: type[RecordT], row_id: uuid.UUID) -> RecordT | None:
        return self._session.get(model, row_id)

    def update(
        self, model: type[RecordT], row_id: uuid.UUID, changes: Mapping[str, object]
    ) -> RecordT | None:
        if not changes:
            return self.get(model, row_id)
        statement = update(model).where(model.id == row_id).values(changes).returning(model)
        return self._session.scalars(statement).one_or_none()

    def newest(
        self, model: type[RecordT], filters: Filters, *, limit: int, offset: int
    ) -> list[RecordT]:
        statement = (
            select(model)
            .where(*_where(model, filters))
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(self._session.scalars(statement))

    def count(self, model: type[RecordT], filters: Filters) -> int:
        statement = select(func.count()).select_from(model).where(*_where(model, filters))
        return self._session.scalar(statement) or 0


def _where(model: type[Record], filters: Filters) -> list[ColumnElement[bool]]:
    return [getattr(model, name) == value for name, value in filters.items() if value is not None]


class MemoryRepository(Repository):
    """Rows in dicts, for mock mode. Its work runs on the event loop, one call at a time, so it
    needs no lock."""

    def __init__(self, rows: Iterable[Record] = ()) -> None:
        self._tables: dict[type[Record], dict[uuid.UUID, Record]] = {}
        for row in rows:
            self.add(row)

    def _table(self, model: type[RecordT]) -> dict[uuid.UUID, RecordT]:
        return self._tables.setdefault(model, {})  # type: ignore[return-value]

    def add(self, row: RecordT) -> RecordT:
        self._table(type(row))[row.id] = row
        return row

    def get(self, model: type[RecordT], row_id: uuid.UUID) -> RecordT | None:
        return self._table(model).get(row_id)

    def update(
        self, model: type[RecordT], row_id: uuid.UUID, changes: Mapping[str, object]
    ) -> RecordT | None:
        row = self.get(model, row_id)
        for name, value in changes.items() if row is not None else ():
            setattr(row, name, value)
        return row

    def newest(
        self, model: type[RecordT], filters: Filters, *, limit: int, offset: int
    ) -> list[RecordT]:
        found = sorted(self._matching(model, filters), key=_position, reverse=True)
        return found[offset : offset + limit]

    def count(self, model: type[RecordT], filters: Filters) -> int:
        return sum(1 for _ in self._matching(model, filters))

    def _matching(self, model: type[RecordT], filters: Filters) -> Iterable[RecordT]:
        wanted = [(name, value) for name, value in filters.items() if value is not None]
        for row in self._table(model).values():
            if all(getattr(row, name) == value for name, value in wanted):
                yield row


def _position(row: Record) -> tuple[object, ...]:
    return row.created_at, row.id


@dataclass(frozen=True)
class Listing(Generic[RecordT]):
    """One page of rows, as a service returns it; the router's response model shapes it."""

    items: list[RecordT]
    total: int
    limit: int
    offset: int
