"""The `assets` and `generation_logs` tables. Alembic owns the schema; keep both in step."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Index, String, false, func, text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base

ASSET_STATUSES = ("uploaded", "processing", "ready", "failed")
GENERATION_STATUSES = ("success", "fail", "cached")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Record(Base):
    """What every table has: a UUID key and the creation time that lists are ordered by."""

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=text("gen_random_uuid()")
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )


def column_values(row: Record) -> dict[str, Any]:
    """The row's values by column name (`metadata`, where the attribute is `metadata_`)."""
    mapper = row.__mapper__
    return {prop.columns[0].key: getattr(row, key) for key, prop in mapper.column_attrs.items()}


class Asset(Record):
    __tablename__ = "assets"
    __table_args__ = (CheckConstraint(f"status IN {ASSET_STATUSES!r}", name="status"),)

    project_id: Mapped[str] = mapped_column(String)
    path: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="uploaded", server_default="uploaded")
    # The column is `metadata`; Declarative reserves that attribute name.
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSON)
    consent_hash: Mapped[str] = mapped_column(String)
    exif_stripped: Mapped[bool] = mapped_column(default=False, server_default=false())


class GenerationLog(Record):
    __tablename__ = "generation_logs"
    __table_args__ = (CheckConstraint(f"status IN {GENERATION_STATUSES!r}", name="status"),)

    user_id: Mapped[str] = mapped_column(String)
    input_hash: Mapped[str] = mapped_column(String)
    prompt_hash: Mapped[str] = mapped_column(String)
    model_version: Mapped[str] = mapped_column(String)
    lora_adapter: Mapped[str | None] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)
    latency_ms: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String)


def _newest_first(model: type[Record], *filters: str) -> None:
    """An index for the newest-first pages of `model`, alone or filtered by one column."""
    name = f"ix_{model.__tablename__}_{'_'.join(filters) or 'all'}_newest"
    columns = [getattr(model, column) for column in filters]
    Index(name, *columns, model.created_at.desc(), model.id.desc())


for _filter in ((), ("project_id",), ("status",)):
    _newest_first(Asset, *_filter)
for _filter in ((), ("user_id",), ("status",)):
    _newest_first(GenerationLog, *_filter)
