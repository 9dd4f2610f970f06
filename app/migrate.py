"""`python -m app.migrate`: the one-shot migration before the API starts; it runs in the backend
image (app/, alembic/ and alembic.ini are there).

As the schema's owner (MIGRATION_DATABASE_URL, else DATABASE_URL): `alembic upgrade head`, whose
revisions grant the API's privileges to the database's group role `<database>_api` (app/roles.py).
Then, when DATABASE_URL names another user, that user is made a login role with DATABASE_URL's
password and a member of the group. With SEED_SAMPLE_DATA, mock mode's sample rows go in where
absent (app/seed.py), so the API serves them from its first request. Exits 0 once done; else prints
one line saying why (PostgreSQL's or Alembic's words) and exits 1, or 2 for a bad setting. Never
prints a password or a URL.
"""

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from psycopg2.extensions import connection as Psycopg2Connection
from psycopg2.extensions import encrypt_password
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.config import ConfigError, MigrationSettings, load_migration_settings
from app.logs import configure_logging
from app.roles import RoleError, api_group, create_role, quoted
from app.seed import report, seed
from app.services.health import first_line

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
POWERS = ("SUPERUSER", "CREATEROLE", "CREATEDB", "BYPASSRLS")  # refused in the API's role
MIGRATION_LOCK_ID = 0x05_6A_FE_00  # any fixed bigint; taken by every migrating process
logger = logging.getLogger("app.migrate")


class MigrationError(Exception):
    """The migration did not finish; the message is one line saying why."""


def migrate(settings: MigrationSettings) -> None:
    """Upgrade to head as the owner, then set up DATABASE_URL's role if it is another."""
    owner, variable = settings.owner
    api = settings.sqlalchemy_url if settings.database_url is not None else None
    engine = create_engine(
        owner, connect_args={"connect_timeout": 5, "application_name": "ossgameforge-migrate"}
    )
    try:
        try:
            connection = engine.connect()
        except OperationalError as exc:
            cause = first_line(exc)
            raise MigrationError(f"cannot reach the database in {variable}: {cause}") from None
        with connection:
            step = "alembic upgrade head"
            try:
                _upgrade(connection)
                logger.info("database at %s, migrated as %s", _head(connection), owner.username)
                if api is None or api.username == owner.username:
                    logger.info("DATABASE_URL names the owner, or nothing: no role of the API's")
                else:
                    step = f"setting up the API's role {api.username} (DATABASE_URL's user)"
                    with connection.begin():
                        _api_login(connection, str(api.username), api.password)
                if settings.seed_sample_data:  # before the API starts, however long it takes
                    step = "loading the sample rows (SEED_SAMPLE_DATA)"
                    logger.info("%s (SEED_SAMPLE_DATA)", report(seed(engine)))
            except (CommandError, RoleError) as exc:
                raise MigrationError(f"{step} failed: {exc}") from None
            except DBAPIError as exc:
                raise MigrationError(f"{step} failed: {_postgres_says(exc)}") from None
    finally:
        engine.dispose()


def _upgrade(connection: Connection) -> None:
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = connection  # alembic/env.py migrates on it, under its lock
    command.upgrade(config, "head")
    connection.commit()


def _head(connection: Connection) -> str:
    with connection.begin():
        return str(connection.scalar(text("SELECT version_num FROM alembic_version")))


def _api_login(connection: Connection, user: str, password: str | None) -> None:
    """`user` as a login role, with `password` if given, and a member of the API group."""
    group = api_group(connection)
    if user == group:
        raise MigrationError(
            f"DATABASE_URL's user must not be {group}, the role the migrations grant to:"
            " name a role of its own (ossgameforge_app, say)"
        )
    # One at a time per database, as the upgrade: concurrent ALTER ROLEs of one role can fail.
    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    created = create_role(connection, user, login=True)
    if not created:  # made by someone else, perhaps with powers the API's role must not have
        powers = connection.execute(
            text(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
                " WHERE rolname = :name"
            ),
            {"name": user},
        ).one()
        named = [name for name, on in zip(POWERS, powers, strict=True) if on]
        if named:
            raise MigrationError(
                f"DATABASE_URL's user {user} exists with {', '.join(named)}, which the API's"
                " role must not have: name another role, or take them away (ALTER ROLE)"
            )
    role = quoted(connection, user)
    if password is None:
        connection.execute(text(f"ALTER ROLE {role} LOGIN INHERIT"))
    else:
        # Hashed here, as psql's \password does: the password itself never reaches the server's
        # statement log. The server's password_encryption picks the method.
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, Psycopg2Connection)
        verifier = encrypt_password(password, user, raw)
        statement = text(f"ALTER ROLE {role} LOGIN INHERIT PASSWORD :verifier")
        connection.execute(statement, {"verifier": verifier})
    connection.execute(text(f"GRANT {quoted(connection, group)} TO {role}"))
    state = "created" if created else "updated"
    logger.info("the API's role %s %s: a member of %s", user, state, group)


def _postgres_says(exc: DBAPIError) -> str:
    """PostgreSQL's message and detail, on one line; never the statement or its parameters."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if not primary:
        return first_line(exc)
    detail = getattr(diag, "message_detail", None)
    return f"{primary} ({detail})" if detail else str(primary)


def log_to_stderr(settings: MigrationSettings) -> None:
    """The app's log lines, Alembic's among them, with neither role's password."""
    urls = [settings.owner[0], *([settings.sqlalchemy_url] if settings.database_url else [])]
    secrets = [url.password for url in urls if url.password]
    configure_logging(settings.log_format, secrets=secrets, levels=["alembic"])


def main() -> int:
    try:
        settings = load_migration_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log_to_stderr(settings)
    try:
        migrate(settings)
    except MigrationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
