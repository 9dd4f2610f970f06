"""The live stack's two database roles. The owner (dbUser, with the one password a person sets,
dbPassword) owns the schema and runs the migrations; the API's role (dbAppUser) only reads and
writes rows. Its password is derived from the owner's: nothing more to set, and the same on
every run (no diff), yet the owner's cannot be worked back from it.

With a managed database (externalDatabaseUrl, the owner's URL), the API's URL is that URL with
the API's role and derived password in place of the owner's."""

import base64
import hashlib
import hmac
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from infra.config import NAMESPACE, StackConfig, StackConfigError
from infra.spec import POSTGRES_PORT, postgres_name
from infra.spec_types import LOOPBACK

EXTERNAL_KEY = "externalDatabaseUrl"
SCHEMES = ("postgresql", "postgresql+psycopg2")  # what the app accepts


def api_password(owner_password: str) -> str:
    digest = hmac.new(owner_password.encode(), b"ossgameforge api role", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def database_url(
    config: StackConfig,
    user: str,
    password: str,
    *,
    from_host: bool = False,
    host: str | None = None,
) -> str:
    """`user`'s URL of the stack's database over the stack's network (or at `host`);
    `from_host`: as this machine reaches it (postgresPort publishes it)."""
    host, port = host or postgres_name(config), POSTGRES_PORT
    if from_host:
        host, port = LOOPBACK, config.postgres_port or POSTGRES_PORT
    credentials = f"{quote(user, safe='')}:{quote(password, safe='')}"
    return f"postgresql://{credentials}@{host}:{port}/{quote(config.db_name, safe='')}"


def owner_url(config: StackConfig, password: str) -> str:
    return database_url(config, config.db_user, password)


def api_url(
    config: StackConfig, owner_password: str, *, from_host: bool = False, host: str | None = None
) -> str:
    return database_url(
        config, config.db_app_user, api_password(owner_password), from_host=from_host, host=host
    )


def external_api_url(config: StackConfig, owner: str) -> str:
    """The API's role's URL of the managed database whose owner's URL is `owner`; a URL that
    names no user, password, host or database stops the program (its value is not shown)."""
    key, problem = f"{NAMESPACE}:{EXTERNAL_KEY}", None
    try:
        parts = urlsplit(owner)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in SCHEMES or not parts.hostname or parts.path.strip("/") == "":
        problem = f"{key} must be postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE"
    elif not parts.username or parts.password is None:
        problem = f"{key} must name the owner's user and password (USER:PASSWORD@HOST)"
    elif unquote(parts.username) == config.db_app_user:
        problem = f"{key} names the API's role {config.db_app_user!r}: give the owner's URL"
    if problem:
        raise StackConfigError(f"{problem} (the value is secret: not shown)")
    password = quote(api_password(unquote(parts.password or "")), safe="")
    where = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(config.db_app_user, safe='')}:{password}@{where}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
