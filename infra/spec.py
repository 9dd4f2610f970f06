"""What each container of a stack is, as plain data: the one definition that the Pulumi program
(`infra/__main__.py`) and the local check (`python -m tools.stack`) both turn into Docker objects.

Secret values stay opaque here (type `S`): an `Output[str]` under Pulumi, a `str` in the check.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import quote

from infra.config import REPO, StackConfig

S = TypeVar("S")

LOOPBACK = "127.0.0.1"
API_PORT = 8000  # inside the backend container
POSTGRES_PORT = 5432  # inside the Postgres container
POSTGRES_DATA = "/var/lib/postgresql/data"  # PGDATA of the official image (to 17) and stand-in
APP_USER = "10001:10001"  # the Dockerfile's `app` user
SERVE = ("uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", str(API_PORT))
# Every start migrates first; alembic/env.py takes an advisory lock, so concurrent starts are safe.
MIGRATE_THEN_SERVE = ("sh", "-c", 'alembic upgrade head && exec "$@"', "migrate", *SERVE)
# The same probe as the Dockerfile's HEALTHCHECK: slim images have python, not curl.
LIVE_PROBE = (
    "CMD",
    "python",
    "-c",
    f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{API_PORT}/health/live', "
    "timeout=2)",
)


@dataclass(frozen=True)
class Port:
    container: int
    host: int
    host_ip: str = LOOPBACK


@dataclass(frozen=True)
class HealthCheck:
    test: tuple[str, ...]
    interval_s: int
    timeout_s: int
    retries: int
    start_period_s: int


@dataclass(frozen=True)
class Mount:
    volume: str
    path: str


@dataclass(frozen=True)
class ImageBuild:
    tag: str
    context: Path  # holds the Dockerfile
    args: Mapping[str, str]


@dataclass(frozen=True)
class ContainerSpec(Generic[S]):
    name: str
    image: str
    env: Mapping[str, str]
    secret_env: Mapping[str, S]
    ports: tuple[Port, ...]
    healthcheck: HealthCheck
    mounts: tuple[Mount, ...] = ()
    command: tuple[str, ...] | None = None  # None: the image's CMD
    user: str | None = None  # None: the image's USER
    network: str | None = None  # None: Docker's default bridge
    depends_on: tuple[str, ...] = ()  # names of containers that must be healthy first
    restart: str = "unless-stopped"


def network_name(config: StackConfig) -> str:
    return f"{config.prefix}-net"


def volume_name(config: StackConfig) -> str:
    return f"{config.prefix}-pgdata"


def postgres_name(config: StackConfig) -> str:
    return f"{config.prefix}-postgres"


def backend_name(config: StackConfig) -> str:
    return f"{config.prefix}-backend"


def api_url(config: StackConfig) -> str:
    return f"http://{LOOPBACK}:{config.api_port}"


def health_url(config: StackConfig) -> str:
    return f"{api_url(config)}/health"


def database_url(config: StackConfig, password: str) -> str:
    """The URL the backend reaches Postgres by, over the stack's network."""
    user, secret = quote(config.db_user, safe=""), quote(password, safe="")
    host = postgres_name(config)
    return f"postgresql://{user}:{secret}@{host}:{POSTGRES_PORT}/{quote(config.db_name, safe='')}"


def backend_build(config: StackConfig) -> ImageBuild:
    return ImageBuild(
        tag=config.backend_image,
        context=REPO,
        args={"PYTHON_IMAGE": config.python_image},
    )


def postgres(config: StackConfig, password: S) -> ContainerSpec[S]:
    published = () if config.postgres_port is None else (Port(POSTGRES_PORT, config.postgres_port),)
    # -h 127.0.0.1: during first-start initialisation the server listens on its socket only.
    ready = ("CMD", "pg_isready", "-h", LOOPBACK, "-U", config.db_user, "-d", config.db_name)
    return ContainerSpec(
        name=postgres_name(config),
        image=config.postgres_image,
        env={"POSTGRES_USER": config.db_user, "POSTGRES_DB": config.db_name},
        secret_env={"POSTGRES_PASSWORD": password},
        ports=published,
        healthcheck=HealthCheck(ready, interval_s=1, timeout_s=3, retries=5, start_period_s=60),
        mounts=(Mount(volume_name(config), POSTGRES_DATA),),
        network=network_name(config),
    )


def backend(config: StackConfig, db_url: S | None) -> ContainerSpec[S]:
    """The API; `db_url` (the DATABASE_URL) is None exactly on a mock stack."""
    if config.mock_mode != (db_url is None):
        raise ValueError("a mock stack has no database URL, and a live stack needs one")
    live = db_url is not None
    return ContainerSpec(
        name=backend_name(config),
        image=config.backend_image,
        env={"MOCK_MODE": str(config.mock_mode).lower(), "CORS_ORIGINS": config.cors_origins},
        secret_env={"DATABASE_URL": db_url} if db_url is not None else {},
        ports=(Port(API_PORT, config.api_port),),
        healthcheck=HealthCheck(
            LIVE_PROBE, interval_s=2, timeout_s=3, retries=3, start_period_s=30
        ),
        command=MIGRATE_THEN_SERVE if live else SERVE,
        user=APP_USER,
        network=network_name(config) if live else None,
        depends_on=(postgres_name(config),) if live else (),
    )
