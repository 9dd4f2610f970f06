"""Indexes for the newest-first keyset pages: all rows, and per filter column

Each serves `ORDER BY created_at DESC, id DESC` after `(created_at, id) < cursor`, alone or
after an equality on project_id / user_id / status. The composite indexes lead with the column
the old single-column indexes held, so those go. Plain CREATE INDEX, inside the migration's
transaction: writes to the table wait while it builds (seconds at a million rows).

Revision ID: 8c41d7e2f0a5
Revises: 3b7e5c2a9d41
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c41d7e2f0a5"
down_revision: str | Sequence[str] | None = "3b7e5c2a9d41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("assets", ()),
    ("assets", ("project_id",)),
    ("assets", ("status",)),
    ("generation_logs", ()),
    ("generation_logs", ("user_id",)),
    ("generation_logs", ("status",)),
]
REPLACED = [("assets", "project_id"), ("generation_logs", "user_id")]


def _name(table: str, filters: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(filters) or 'all'}_newest"


def upgrade() -> None:
    for table, filters in INDEXES:
        columns = [*filters, sa.text("created_at DESC"), sa.text("id DESC")]
        op.create_index(op.f(_name(table, filters)), table, columns)
    for table, column in REPLACED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in REPLACED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    for table, filters in INDEXES:
        op.drop_index(op.f(_name(table, filters)), table_name=table)
