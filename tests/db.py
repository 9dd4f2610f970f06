"""Helpers for tests on a real PostgreSQL (the fixtures are in tests/conftest.py)."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]


def admin(url: str) -> Engine:
    """An autocommit engine on `url`, for DDL and for checking what the app did."""
    return create_engine(
        make_url(url).set(drivername="postgresql+psycopg2"), isolation_level="AUTOCOMMIT"
    )


def create_database(server_url: str, name: str) -> str:
    """Create database `name` on the server at `server_url`; return its URL."""
    engine = admin(server_url)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def alembic_config(connection: Connection) -> Config:
    """Alembic's config, migrating on `connection` (alembic/env.py honours it)."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["connection"] = connection
    return config


def migrate(url: str) -> str:
    """Upgrade the database at `url` to head; return `url`."""
    engine = admin(url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    return url


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
