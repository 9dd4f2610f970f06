"""The schema Alembic builds, read back from PostgreSQL's own catalog."""

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

ASSETS = {
    "id": ("uuid", "NO", "gen_random_uuid()"),
    "project_id": ("character varying", "NO", None),
    "path": ("character varying", "NO", None),
    "type": ("character varying", "NO", None),
    "status": ("character varying", "NO", "'uploaded'::character varying"),
    "metadata": ("json", "YES", None),
    "consent_hash": ("character varying", "NO", None),
    "exif_stripped": ("boolean", "NO", "false"),
    "created_at": ("timestamp with time zone", "NO", "now()"),
}
GENERATION_LOGS = {
    "id": ("uuid", "NO", "gen_random_uuid()"),
    "user_id": ("character varying", "NO", None),
    "input_hash": ("character varying", "NO", None),
    "prompt_hash": ("character varying", "NO", None),
    "model_version": ("character varying", "NO", None),
    "lora_adapter": ("character varying", "YES", None),
    "status": ("character varying", "NO", None),
    "latency_ms": ("integer", "YES", None),
    "error": ("character varying", "YES", None),
    "created_at": ("timestamp with time zone", "NO", "now()"),
}


def columns(connection: Connection, table: str) -> dict[str, tuple[str, str, str | None]]:
    rows = connection.execute(
        text(
            "SELECT column_name, data_type, is_nullable, column_default"
            " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t"
        ),
        {"t": table},
    )
    return {name: (kind, nullable, default) for name, kind, nullable, default in rows}


def test_tables_are_exactly_assets_generation_logs_and_alembic_version(
    connection: Connection,
) -> None:
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars()
    assert list(tables) == ["alembic_version", "assets", "generation_logs"]


def test_assets_columns_types_nullability_and_defaults(connection: Connection) -> None:
    assert columns(connection, "assets") == ASSETS


def test_generation_logs_columns_types_nullability_and_defaults(connection: Connection) -> None:
    assert columns(connection, "generation_logs") == GENERATION_LOGS


def test_constraints_are_named_by_convention(connection: Connection) -> None:
    rows = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'"
            " AND conrelid::regclass::text IN ('assets', 'generation_logs') ORDER BY 1, 2"
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        (
            "assets",
            "ck_assets_status",
            "c",
            "CHECK (((status)::text = ANY ((ARRAY['uploaded'::character varying, "
            "'processing'::character varying, 'ready'::character varying, "
            "'failed'::character varying])::text[])))",
        ),
        ("assets", "pk_assets", "p", "PRIMARY KEY (id)"),
        (
            "generation_logs",
            "ck_generation_logs_status",
            "c",
            "CHECK (((status)::text = ANY ((ARRAY['success'::character varying, "
            "'fail'::character varying, 'cached'::character varying])::text[])))",
        ),
        ("generation_logs", "pk_generation_logs", "p", "PRIMARY KEY (id)"),
    ]


def test_plain_sql_insert_gets_the_server_defaults(connection: Connection) -> None:
    row = connection.execute(
        text(
            "INSERT INTO assets (project_id, path, type, consent_hash)"
            " VALUES ('p', 'a.png', 'image', 'h')"
            " RETURNING id, status, exif_stripped, created_at, created_at = now()"
        )
    ).one()
    assert row.id is not None and row.status == "uploaded" and row.exif_stripped is False
    assert row.created_at.tzinfo is not None and row[4] is True


STATUS_INSERTS = {
    "assets": (
        "INSERT INTO assets (project_id, path, type, consent_hash, status)"
        " VALUES ('p', 'a.png', 'image', 'h', :status)",
        ("uploaded", "processing", "ready", "failed"),
    ),
    "generation_logs": (
        "INSERT INTO generation_logs (user_id, input_hash, prompt_hash, model_version, status)"
        " VALUES ('u', 'i', 'p', 'm', :status)",
        ("success", "fail", "cached"),
    ),
}


@pytest.mark.parametrize("table", STATUS_INSERTS)
def test_a_status_outside_the_allowed_set_is_refused_by_postgresql(
    connection: Connection, table: str
) -> None:
    insert, allowed = STATUS_INSERTS[table]
    for status in allowed:
        connection.execute(text(insert), {"status": status})
    with pytest.raises(IntegrityError, match=f"ck_{table}_status"), connection.begin_nested():
        connection.execute(text(insert), {"status": "done"})
