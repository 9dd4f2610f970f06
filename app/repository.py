"""The few data operations the services use, each written once for PostgreSQL and once for memory.

Filters are equalities on model attributes (a value of None matches every row). Lists are newest
first, `created_at` descending and then `id` descending, in keyset pages: a page starts after
the position its cursor holds, so page 500 costs what page 1 does.
"""

import functools
import json
import uuid
from abc import ABC, abstractmethod
from collections import namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, Select, bindparam, insert, select, tuple_, update
from sqlalchemy.orm import Session

from app.cursors import Cursors, Position
from app.models.core_models import Record, column_values

RecordT = TypeVar("RecordT", bound=Record)


@dataclass(frozen=True)
class Listing(Generic[RecordT]):
    """One page of rows, as a service returns it; the router's response model shapes it."""

    items: list[RecordT]
    next_cursor: str | None
    limit: int


class Repository(ABC):
    """Each method is one SQL statement, atomic on its own."""

    def __init__(self, cursors: Cursors) -> None:
        self._cursors = cursors

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

    def page(
        self,
        model: type[RecordT],
        filters: Mapping[str, object],
        *,
        limit: int,
        cursor: str | None,
    ) -> Listing[RecordT]:
        """Up to `limit` matching rows after `cursor`, and the cursor of the page after (None on
        the last page). Raises InvalidCursor for a cursor not given out for this list."""
        wanted = {name: value for name, value in filters.items() if value is not None}
        scope = f"{model.__tablename__} {json.dumps(wanted, sort_keys=True)}"
        after = None if cursor is None else self._cursors.decode(scope, cursor)
        rows = self._newest(model, wanted, limit=limit + 1, after=after)
        if len(rows) <= limit:
            return Listing(rows, None, limit)
        last = rows[limit - 1]
        return Listing(rows[:limit], self._cursors.encode(scope, _position(last)), limit)

    @abstractmethod
    def _newest(
        self,
        model: type[RecordT],
        filters: dict[str, object],
        *,
        limit: int,
        after: Position | None,
    ) -> list[RecordT]: ...


class SqlRepository(Repository):
    """On the session a store opened for one request."""

    def __init__(self, session: Session, cursors: Cursors) -> None:
        super().__init__(cursors)
        self._session = session

    def add(self, row: RecordT) -> RecordT:
        # One INSERT of the values as they are: every field is set, so there is nothing to
        # read back, and the ORM's flush (a unit of work for one row) would cost more.
        self._session.connection().execute(insert(type(row)), column_values(row))
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

    def _newest(
        self,
        model: type[RecordT],
        filters: dict[str, object],
        *,
        limit: int,
        after: Position | None,
    ) -> list[RecordT]:
        statement = _newest_statement(model, tuple(filters), after is not None)
        values = filters | {"limit": limit}
        if after is not None:
            values |= {"after_created_at": after.created_at, "after_id": after.id}
        rows = self._session.connection().execute(statement, values).all()
        return list(map(_row_type(model)._make, rows))


@functools.cache
def _row_type(model: type[Record]) -> type[Any]:
    """A named tuple of the model's attributes: what a page's rows are read into.

    They read like the records, with no identity map or instance state to build (as entities
    would), and unlike SQLAlchemy's Row their attributes are cheap to read, which the response
    model does for every field: validating a page of 20 takes 39 µs instead of 98.
    """
    return namedtuple(f"{model.__name__}Row", model.__mapper__.column_attrs.keys())


@functools.cache
def _newest_statement(model: type[Record], filters: tuple[str, ...], after: bool) -> Select[Any]:
    """The page query for these filters, built once: its values are bound parameters."""
    # The row type's fields, in its order: `_make` reads the columns by position.
    attributes = model.__mapper__.column_attrs
    columns = [attributes[key].columns[0].label(key) for key in _row_type(model)._fields]
    statement = select(*columns).where(*(getattr(model, key) == bindparam(key) for key in filters))
    if after:
        created_at, row_id = model.__table__.c.created_at, model.__table__.c.id
        position = tuple_(
            bindparam("after_created_at", type_=created_at.type),
            bindparam("after_id", type_=row_id.type),
        )
        statement = statement.where(tuple_(model.created_at, model.id) < position)
    order = (model.created_at.desc(), model.id.desc())
    return statement.order_by(*order).limit(bindparam("limit", type_=Integer))


class MemoryRepository(Repository):
    """Rows in dicts, for mock mode. Its work runs on the event loop, one call at a time, so it
    needs no lock."""

    def __init__(self, cursors: Cursors, rows: Iterable[Record] = ()) -> None:
        super().__init__(cursors)
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

    def _newest(
        self,
        model: type[RecordT],
        filters: dict[str, object],
        *,
        limit: int,
        after: Position | None,
    ) -> list[RecordT]:
        found = [
            row
            for row in self._table(model).values()
            if all(getattr(row, name) == value for name, value in filters.items())
            and (after is None or _position(row) < after)
        ]
        found.sort(key=_position, reverse=True)
        return found[:limit]


def _position(row: Record) -> Position:
    return Position(row.created_at, row.id)
