"""Least privilege: the owner migrates and owns the schema; the API's role may read, add and change
the rows of the two tables, and PostgreSQL refuses it anything else."""

import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytest_alembic.runner import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.roles import create_role, group_name
from tests.db import API_LOGIN, OWNER, Database, admin, execute

pytestmark = pytest.mark.integration
REFUSED = {
    "DROP TABLE assets": "must be owner of table assets",
    "ALTER TABLE assets ADD COLUMN note text": "must be owner of table assets",
    "CREATE INDEX ix_assets_path ON assets (path)": "must be owner of table assets",
    "CREATE TABLE notes (id int)": "permission denied for schema public",
    "DELETE FROM assets": "permission denied for table assets",
    "DELETE FROM generation_logs": "permission denied for table generation_logs",
    "TRUNCATE generation_logs": "permission denied for table generation_logs",
    "SELECT * FROM alembic_version": "permission denied for table alembic_version",
}
TABLE_GRANTS = {
    (table, p) for table in ("assets", "generation_logs") for p in ("SELECT", "INSERT", "UPDATE")
}
GRANTED = {("database", "CONNECT"), ("schema", "USAGE"), *TABLE_GRANTS}
# What the migrations granted the database's API group, from the catalogs' access lists.
GROUP = "(current_database() || '_api')::regrole"
GRANTS = f"""
SELECT 'database', a.privilege_type FROM pg_database d, aclexplode(d.datacl) a
  WHERE d.datname = current_database() AND a.grantee = {GROUP}
UNION ALL SELECT 'schema', a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a
  WHERE n.nspname = current_schema() AND a.grantee = {GROUP}
UNION ALL SELECT c.relname, a.privilege_type FROM pg_class c, aclexplode(c.relacl) a
  WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = {GROUP}
"""
PUBLIC_TEMPORARY = """
SELECT count(*) > 0 FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
  WHERE d.datname = current_database() AND a.grantee = 0 AND a.privilege_type = 'TEMPORARY'
"""


def refused(connection: Connection, statement: str) -> str:
    """PostgreSQL's message refusing `statement` (which must fail), in a savepoint."""
    with pytest.raises(DBAPIError) as error, connection.begin_nested():
        connection.execute(text(statement))
    return str(error.value.orig.diag.message_primary)  # type: ignore[union-attr]


def test_the_app_runs_as_the_api_role(connection: Connection) -> None:
    assert connection.scalar(text("SELECT current_user")) == API_LOGIN


@pytest.mark.parametrize("statement", REFUSED)
def test_the_api_role_is_refused_ddl_delete_and_the_version_table(
    connection: Connection, statement: str
) -> None:
    assert refused(connection, statement) == REFUSED[statement]


def test_the_api_role_may_not_create_temporary_tables(connection: Connection) -> None:
    database = connection.scalar(text("SELECT current_database()"))
    message = refused(connection, "CREATE TEMPORARY TABLE scratch (id int)")
    assert message == f'permission denied to create temporary tables in database "{database}"'


def test_the_api_login_has_no_attribute_but_login_and_only_api_groups(
    connection: Connection,
) -> None:
    row = connection.execute(
        text(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls,"
            " array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            "  WHERE m.member = r.oid) FROM pg_roles r WHERE rolname = current_user"
        )
    ).one()
    group = group_name(str(connection.scalar(text("SELECT current_database()"))))
    assert tuple(row)[:5] == (False, False, False, True, False)
    assert group in row[5]  # and the groups of the run's other databases: one login serves all
    assert all(name.startswith("ogf_test_") and name.endswith("_api") for name in row[5])
    query = text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :group")
    assert connection.scalar(query, {"group": group}) is False


def test_the_owner_migrated_and_owns_every_table(database: Database) -> None:
    engine = admin(database.owner_url)
    with engine.connect() as connection:
        query = text("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")
        owners = {str(table): str(owner) for table, owner in connection.execute(query)}
        rows = connection.scalar(text("SELECT count(*) FROM alembic_version"))
    engine.dispose()
    assert owners == {"alembic_version": OWNER, "assets": OWNER, "generation_logs": OWNER}
    assert rows == 1


def grants(engine: Engine) -> tuple[set[tuple[str, str]], bool]:
    """The API group's grants in the database, and whether PUBLIC may create temporary tables."""
    with engine.connect() as connection:
        granted = {(str(on), str(what)) for on, what in connection.execute(text(GRANTS))}
        return granted, bool(connection.scalar(text(PUBLIC_TEMPORARY)))


def test_the_grants_follow_the_migrations_up_down_and_up_again(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_to("heads")
    assert grants(alembic_engine) == (GRANTED, False)
    alembic_runner.migrate_down_one()
    assert grants(alembic_engine) == (set(), True)  # PostgreSQL's default for PUBLIC, back
    alembic_runner.migrate_up_one()
    assert grants(alembic_engine) == (GRANTED, False)
    alembic_runner.migrate_down_to("base")
    alembic_runner.migrate_up_to("heads")
    assert grants(alembic_engine) == (GRANTED, False)


def test_two_sessions_creating_one_role_at_once_both_succeed(database: Database) -> None:
    """As the migrations of two databases on one server may: the second waits for the first."""
    name = f"ogf_race_{secrets.token_hex(4)}"
    engine = create_engine(make_url(database.owner_url).set(drivername="postgresql+psycopg2"))
    try:
        with engine.connect() as first, engine.connect() as second, ThreadPoolExecutor(1) as pool:
            assert create_role(first, name) is True  # not committed yet
            waiting = pool.submit(create_role, second, name)
            time.sleep(0.5)
            assert not waiting.done()  # blocked behind the first session's new role
            first.commit()
            assert waiting.result(timeout=30) is False
            second.commit()
    finally:
        engine.dispose()
        execute(database.owner_url, f"DROP ROLE IF EXISTS {name}")
