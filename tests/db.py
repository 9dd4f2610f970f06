"""Helpers for tests on a real PostgreSQL (the fixtures are in tests/conftest.py).

Test databases have the roles a deployment has: OWNER (LOGIN CREATEROLE, no superuser) owns each
database and runs the migrations; API_LOGIN, made by the migration command, is the API's role,
and the app under test connects as it."""

import contextlib
import functools
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import load_migration_settings
from app.migrate import migrate as migrate_as_owner

ROOT = Path(__file__).resolve().parents[1]
OWNER = "ogf_test_owner"
API_LOGIN = "ossgameforge_app"


class Database(NamedTuple):
    """A migrated test database: `url` is the API's role's (what the app runs on), `owner_url`
    the owner's (to set up what a test needs behind the app's back)."""

    url: str
    owner_url: str


@dataclass(frozen=True)
class Roles:
    """The owner's and the API's credentials on one server, for this run."""

    server_url: str  # a superuser's
    owner_password: str
    api_password: str

    def owner_url(self, database: str) -> str:
        return _as(self.server_url, OWNER, self.owner_password, database)

    def api_url(self, database: str) -> str:
        return _as(self.server_url, API_LOGIN, self.api_password, database)

    def create_database(self, name: str) -> str:
        """Create database `name`, owned by OWNER; return the owner's URL of it."""
        execute(self.server_url, f'CREATE DATABASE "{name}" OWNER {OWNER}')
        return self.owner_url(name)

    def migrate(self, owner_url: str) -> Database:
        """Migrate the database at `owner_url` as `python -m app.migrate` does: upgrade to head
        as the owner, then set API_LOGIN up as the API's role."""
        database = str(make_url(owner_url).database)
        api_url = self.api_url(database)
        migrate_as_owner(
            load_migration_settings(
                mock_mode=False, database_url=api_url, migration_database_url=owner_url
            )
        )
        return Database(api_url, owner_url)


@functools.cache
def roles(server_url: str) -> Roles:
    """OWNER on the server at `server_url` (a superuser's), with a password of this run; one per
    server, however many fixtures ask."""
    made = Roles(server_url, secrets.token_hex(16), secrets.token_hex(16))
    engine = admin(server_url)
    with engine.connect() as connection:
        if not connection.scalar(text(f"SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}'")):
            connection.execute(text(f"CREATE ROLE {OWNER}"))
        statement = text(f"ALTER ROLE {OWNER} LOGIN CREATEROLE PASSWORD :password")
        connection.execute(statement, {"password": made.owner_password})
    engine.dispose()
    return made


def _as(url: str, user: str, password: str, database: str) -> str:
    return (
        make_url(url)
        .set(username=user, password=password, database=database)
        .render_as_string(hide_password=False)
    )


def admin(url: str) -> Engine:
    """An autocommit engine on `url`, for DDL and for checking what the app did."""
    return create_engine(
        make_url(url).set(drivername="postgresql+psycopg2"), isolation_level="AUTOCOMMIT"
    )


def execute(url: str, *statements: str) -> None:
    """Run `statements` on `url`, each committed on its own."""
    engine = admin(url)
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@contextlib.contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back at the end: each test's isolation."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def joined_session(connection: Connection) -> Session:
    """A session in `connection`'s transaction; its commits release savepoints, nothing more."""
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
