"""The API's role: SELECT, INSERT and UPDATE on assets and generation_logs, nothing more

Granted to the database's NOLOGIN API group, `<database>_api` (app/roles.py), created here when
missing: no DELETE, no DDL, no CREATE on the schema (PostgreSQL 15 and later give PUBLIC none), no
temporary tables (revoked from PUBLIC, PostgreSQL's default; the owner keeps them). The role the
API logs in as is made a member by `python -m app.migrate`. A revision that adds a table grants on
it with `grant_tables`. The downgrade revokes; the role stays (its members with it).

Revision ID: 3350dd7b0711
Revises: 8c41d7e2f0a5
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from app.roles import (
    create_group,
    grant_database_and_schema,
    grant_tables,
    revoke_database_and_schema,
    revoke_tables,
)

revision: str = "3350dd7b0711"
down_revision: str | Sequence[str] | None = "8c41d7e2f0a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("assets", "generation_logs")


def upgrade() -> None:
    connection = op.get_bind()
    create_group(connection)
    grant_database_and_schema(connection)
    grant_tables(connection, *TABLES)


def downgrade() -> None:
    connection = op.get_bind()
    revoke_tables(connection, *TABLES)
    revoke_database_and_schema(connection)
