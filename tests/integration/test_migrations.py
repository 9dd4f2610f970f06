"""pytest-alembic's built-in tests of the migration history, each on a fresh database: one head,
upgrade from nothing to head one step at a time, the models match what the migrations build,
and every step downgrades and upgrades again (the runner: tests/integration/conftest.py). Then
the index revision on a table with rows.

Imported rather than inserted by `--test-alembic`: the plugin's automatic insertion fails under
pytest 9 (pyproject.toml turns the plugin off), and importing them is its documented alternative.
"""

from pytest_alembic.runner import MigrationContext
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, text

from tools.bench_pages import seed

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


def indexes(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        query = text("SELECT indexname FROM pg_indexes WHERE tablename = :table")
        return set(connection.scalars(query, {"table": table}))


def plan(engine: Engine, query: str) -> str:
    with engine.connect() as connection:
        return "\n".join(connection.scalars(text(f"EXPLAIN {query}")))


KEYSET = (
    "SELECT * FROM generation_logs WHERE {where} (created_at, id) < (now(), gen_random_uuid())"
    " ORDER BY created_at DESC, id DESC LIMIT 21"
)


def test_the_index_revision_upgrades_a_table_with_rows_and_downgrades(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_to("3b7e5c2a9d41")
    seed(alembic_engine.url.render_as_string(hide_password=False), assets=2000, logs=20_000)
    alembic_runner.migrate_up_one()
    assert indexes(alembic_engine, "generation_logs") == {
        "pk_generation_logs",
        "ix_generation_logs_all_newest",
        "ix_generation_logs_user_id_newest",
        "ix_generation_logs_status_newest",
    }
    assert "ix_generation_logs_all_newest" in plan(alembic_engine, KEYSET.format(where=""))
    by_user = KEYSET.format(where="user_id = 'user-7' AND")
    assert "ix_generation_logs_user_id_newest" in plan(alembic_engine, by_user)
    alembic_runner.migrate_down_one()
    assert indexes(alembic_engine, "generation_logs") == {
        "pk_generation_logs",
        "ix_generation_logs_user_id",
    }
    assert indexes(alembic_engine, "assets") == {"pk_assets", "ix_assets_project_id"}
    with alembic_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM generation_logs")) == 20_000
