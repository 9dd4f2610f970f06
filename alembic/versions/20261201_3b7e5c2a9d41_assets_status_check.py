"""assets.status: the database refuses a value outside the four the API knows

Revision ID: 3b7e5c2a9d41
Revises: dec9d0fb314e
Create Date: 2026-12-01 14:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3b7e5c2a9d41"
down_revision: str | Sequence[str] | None = "dec9d0fb314e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_check_constraint(
        op.f("ck_assets_status"),
        "assets",
        "status IN ('uploaded', 'processing', 'ready', 'failed')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_assets_status"), "assets", type_="check")
