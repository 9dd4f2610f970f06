"""The one settings object, read from the environment (and an optional `.env` file)."""

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# The usual frontend dev servers (Vite, then Create React App / Next.js): the CORS_ORIGINS of
# `nox -s dev` and of the Pulumi stacks unless they are told otherwise.
DEV_ORIGINS = (
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:3000",
    "http://127.0.0.1:3000",
)
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class ConfigError(Exception):
    """A setting a person got wrong; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    mock_mode: bool = False
    database_url: str | None = Field(default=None, repr=False)
    health_timeout: float = Field(default=0.5, gt=0, le=30)
    health_cache_ttl: float = Field(default=0.1, ge=0, le=10)
    db_pool_size: int = Field(default=2, ge=1, le=100)
    db_pool_timeout: float = Field(default=2.0, gt=0, le=60)
    # Signs page cursors; unset, each process draws a random key (cursors last its lifetime).
    cursor_secret: str | None = Field(default=None, repr=False)
    # Origins allowed to call the API from a browser; none when unset.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # `text` for people, `json` for machines: one object per line, the same fields.
    log_format: Literal["text", "json"] = "text"
    # Live mode: load mock mode's sample rows at every start, leaving rows already there alone.
    seed_sample_data: bool = False

    @field_validator("mock_mode", "seed_sample_data", mode="before")
    @classmethod
    def _strict_boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        key = str(value).strip().lower()
        if key not in _BOOLEANS:
            raise ValueError(f"must be one of true/false/1/0/yes/no, got {value!r}")
        return _BOOLEANS[key]

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: Any) -> Any:
        if str(value).strip().lower() not in ("text", "json"):
            raise ValueError(f"must be text or json, got {value!r}")
        return str(value).strip().lower()

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        items = value.split(",") if isinstance(value, str) else value
        return tuple(_origin(str(item).strip()) for item in items if str(item).strip())

    @field_validator("cursor_secret")
    @classmethod
    def _long_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 16:  # never echo a secret
            raise ValueError("must be at least 16 characters (it signs the page cursors)")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        return _postgres_url(value)

    @model_validator(mode="after")
    def _live_needs_database(self) -> "Settings":
        if not self.mock_mode and self.database_url is None:
            raise ValueError(
                "DATABASE_URL is not set: set it to a postgresql:// URL, or MOCK_MODE=true"
            )
        return self

    @property
    def sqlalchemy_url(self) -> URL:
        """The database URL with the psycopg2 driver named explicitly."""
        assert self.database_url is not None, "no database in mock mode"
        return _psycopg2(self.database_url)


class MigrationSettings(Settings):
    """What Alembic and `python -m app.migrate` read: the app's settings, and the URL of the role
    that owns the schema. The API's processes never read MIGRATION_DATABASE_URL."""

    migration_database_url: str | None = Field(default=None, repr=False)

    @field_validator("migration_database_url")
    @classmethod
    def _migration_url(cls, value: str | None) -> str | None:
        return _postgres_url(value)

    @model_validator(mode="after")
    def _live_needs_database(self) -> "MigrationSettings":  # replaces Settings' check
        if self.database_url is None and self.migration_database_url is None:
            raise ValueError(
                "DATABASE_URL is not set: migrations need a postgresql:// URL"
                " (MIGRATION_DATABASE_URL, else DATABASE_URL)"
            )
        api = self.database_url
        if self.migration_database_url and api is not None and make_url(api).username is None:
            raise ValueError(
                "DATABASE_URL names no user: with MIGRATION_DATABASE_URL set, it names the"
                " API's role (postgresql://ossgameforge_app:password@host:5432/dbname)"
            )
        return self

    @property
    def owner(self) -> tuple[URL, str]:
        """The URL migrations run on, and the variable it came from."""
        if self.migration_database_url is not None:
            return _psycopg2(self.migration_database_url), "MIGRATION_DATABASE_URL"
        return self.sqlalchemy_url, "DATABASE_URL"


def _postgres_url(value: str | None) -> str | None:
    """A postgresql:// URL naming a host and a database, or None when empty; else ValueError."""
    if value is None or not value.strip():
        return None
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError(
            "is not a URL; expected postgresql://user:password@host:5432/dbname"
        ) from None
    if url.drivername not in ("postgresql", "postgresql+psycopg2"):
        raise ValueError(f"must start with postgresql://, got {url.drivername}://")
    if not url.database:
        raise ValueError("names no database; expected postgresql://user:password@host:5432/dbname")
    if not url.host and "host" not in url.query:
        raise ValueError("names no host; expected postgresql://user:password@host:5432/dbname")
    return value.strip()


def _psycopg2(url: str) -> URL:
    return make_url(url).set(drivername="postgresql+psycopg2")


def _origin(text: str) -> str:
    """`scheme://host[:port]` as a browser sends it in `Origin`, or ValueError."""
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and parts.hostname and parts.port != 0
        ok = ok and not (parts.path or parts.query or parts.fragment or parts.username)
    except ValueError:  # a bad port or IPv6 address
        ok = False
    if not ok:
        raise ValueError(
            "must be comma-separated origins like http://localhost:5173 "
            f"(scheme://host[:port], no path), got {text!r}"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None


def load_migration_settings(**overrides: Any) -> MigrationSettings:
    """Read the migrations' settings, turning validation errors into one readable line."""
    try:
        return MigrationSettings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:
            name = str(error["loc"][0]).upper()
            if message[0].isupper():  # pydantic's own wording
                message = f"{name}: {message}, got {error['input']!r}"
            elif not message.startswith(name):
                message = f"{name} {message}"
        problems.append(message)
    return "; ".join(problems)
