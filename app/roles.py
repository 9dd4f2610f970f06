"""The database roles: the owner's (it owns the schema and runs the migrations) and the API's.

The migrations grant the API's privileges to the database's API group, `<database>_api`, a
NOLOGIN role they create when it is missing, so a revision needs no configuration: SELECT, INSERT
and UPDATE on each table the API uses, USAGE on the schema, CONNECT on the database; nothing else
(no DELETE, no DDL, no temporary tables). The role the API logs in as (DATABASE_URL's user) is
made a member by `python -m app.migrate`. One group per database: roles belong to the whole
server, and the API of one database on a shared server must not reach another's tables.

The migrations of several databases on one server may run at once: creating a role that another
session is creating is not an error.
"""

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

API_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE"
NAME_BYTES = 63  # PostgreSQL's identifiers (NAMEDATALEN - 1)
_ALREADY_THERE = {"42710", "23505"}  # duplicate_object; unique_violation (a concurrent CREATE)


class RoleError(Exception):
    """A role can't serve as asked; the message is one line saying why."""


def group_name(database: str) -> str:
    """The API group of `database`."""
    name = f"{database}_api"
    if len(name.encode()) > NAME_BYTES:
        raise RoleError(
            f"the database name {database!r} is too long for its API group role {name!r}"
            f" (PostgreSQL's names have at most {NAME_BYTES} bytes): use a shorter one"
        )
    return name


def api_group(connection: Connection) -> str:
    """The current database's API group (its name, not quoted)."""
    return group_name(str(connection.scalar(text("SELECT current_database()"))))


def create_group(connection: Connection) -> None:
    """Create the current database's API group unless it exists; refuse one that exists but
    could log in or is a superuser (the owner named so, say): its members would be that role."""
    group = api_group(connection)
    if create_role(connection, group):
        return
    attributes = text("SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = :name")
    if connection.scalar(attributes, {"name": group}):
        raise RoleError(
            f"the role {group} exists and can log in or is a superuser, so it can't be"
            " this database's API group (the migrations grant the API's privileges to it):"
            " rename that role"
        )


def quoted(connection: Connection, name: str) -> str:
    """`name` as an SQL identifier, quoted."""
    return connection.dialect.identifier_preparer.quote_identifier(name)


def create_role(connection: Connection, name: str, *, login: bool = False) -> bool:
    """Create role `name` (LOGIN or NOLOGIN) unless it exists; whether this call created it.

    Checked first, so a role that exists needs no CREATEROLE; a concurrent creation is caught
    in a savepoint, so the caller's transaction goes on.
    """
    exists = text("SELECT 1 FROM pg_roles WHERE rolname = :name")
    if connection.scalar(exists, {"name": name}):
        return False
    try:
        with connection.begin_nested():
            kind = "LOGIN" if login else "NOLOGIN"
            connection.execute(text(f"CREATE ROLE {quoted(connection, name)} {kind}"))
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) not in _ALREADY_THERE:
            raise
        return False
    return True


def grant_database_and_schema(connection: Connection) -> None:
    """CONNECT on the current database and USAGE on the current schema, to the API group; and no
    temporary tables for PUBLIC (PostgreSQL's default gives every role them), the owner's aside."""
    database, schema, group = _names(connection)
    connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {group}"))
    connection.execute(text(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {group}"))


def revoke_database_and_schema(connection: Connection) -> None:
    """Undoes `grant_database_and_schema`, PostgreSQL's default for PUBLIC included."""
    database, schema, group = _names(connection)
    connection.execute(text(f"REVOKE USAGE ON SCHEMA {schema} FROM {group}"))
    connection.execute(text(f"GRANT TEMPORARY ON DATABASE {database} TO PUBLIC"))
    connection.execute(text(f"REVOKE CONNECT ON DATABASE {database} FROM {group}"))


def _names(connection: Connection) -> tuple[str, str, str]:
    """The current database, the current schema and its API group, quoted."""
    database, schema = connection.execute(text("SELECT current_database(), current_schema()")).one()
    group = group_name(database)
    return quoted(connection, database), quoted(connection, schema), quoted(connection, group)


def grant_tables(connection: Connection, *tables: str) -> None:
    """The API's privileges on `tables`: what a revision that adds a table calls."""
    names = ", ".join(quoted(connection, table) for table in tables)
    group = quoted(connection, api_group(connection))
    connection.execute(text(f"GRANT {API_TABLE_PRIVILEGES} ON TABLE {names} TO {group}"))


def revoke_tables(connection: Connection, *tables: str) -> None:
    names = ", ".join(quoted(connection, table) for table in tables)
    group = quoted(connection, api_group(connection))
    connection.execute(text(f"REVOKE ALL ON TABLE {names} FROM {group}"))
