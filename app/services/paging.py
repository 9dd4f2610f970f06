"""Newest-first pages of a table: the listing every live service shares."""

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.database import Base

RecordT = TypeVar("RecordT", bound=Base)


def newest_first(
    session: Session,
    model: type[RecordT],
    filters: Sequence[tuple[InstrumentedAttribute[Any], object]],
    *,
    limit: int,
    offset: int,
) -> tuple[Sequence[RecordT], int]:
    """One page of `model`'s rows, newest `created_at` first and `id` breaking ties, and how
    many rows match in all; a filter whose value is None is left out."""
    where = [column == value for column, value in filters if value is not None]
    total = session.scalar(select(func.count()).select_from(model).where(*where))
    columns = model.__table__.c
    rows = session.scalars(
        select(model)
        .where(*where)
        .order_by(columns.created_at.desc(), columns.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total or 0
