"""Migrations run on what a caller passes in `config.attributes["connection"]` (an Engine or a
Connection, as pytest-alembic and `python -m app.migrate` do), else on MIGRATION_DATABASE_URL (the
schema owner's), else on DATABASE_URL. An advisory lock lets several processes upgrade at once."""

import sys
from logging.config import fileConfig
from typing import NoReturn

from alembic import context
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from app import models  # noqa: F401  (registers the tables on Base.metadata)
from app.config import ConfigError, load_migration_settings
from app.database import Base
from app.migrate import MIGRATION_LOCK_ID
from app.services.health import first_line

config = context.config
if config.config_file_name is not None and not config.attributes.get("connection"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        # Held until this transaction commits: a second process waits, then finds nothing to do.
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def run_online() -> None:
    given: Engine | Connection | None = config.attributes.get("connection")
    if isinstance(given, Engine):
        with given.connect() as connection:
            run_migrations(connection)
        return
    if given is not None:
        run_migrations(given)
        return
    try:
        url, variable = load_migration_settings().owner
    except ConfigError as exc:
        fail(str(exc))
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    except OperationalError as exc:
        fail(f"cannot reach the database in {variable}: {first_line(exc)}")
    finally:
        engine.dispose()


if context.is_offline_mode():
    fail("offline (--sql) migrations are not supported; run against a database")
run_online()
