"""What each container of a stack runs, as plain data: image, environment, ports, health probes,
user, command. Each target turns it into its own resources: `infra/backend.py` and
`infra/postgres.py` into Docker containers, `infra/kubernetes/` into Kubernetes workloads."""

import hashlib
from pathlib import Path

import pulumi

from infra.config import StackConfig
from infra.spec_types import (
    LOOPBACK,
    ContainerSpec,
    HealthCheck,
    HttpHealth,
    ImageBuild,
    Mount,
    Port,
)

API_PORT = 8000  # inside the backend container
POSTGRES_PORT = 5432  # inside the Postgres container
POSTGRES_DATA = "/var/lib/postgresql/data"  # PGDATA of the official image (to 17) and stand-in
APP_UID = 10001  # the Dockerfile's `app` user and group
APP_USER = f"{APP_UID}:{APP_UID}"
APP_DIR = "/srv"  # the Dockerfile's WORKDIR: app/ and alembic/ are under it
SERVE = ("uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", str(API_PORT))
RELOAD = ("--reload", "--reload-dir", f"{APP_DIR}/app")
# The image holds no bytecode (and its user may not write any there): a reload would compile
# every module it imports again. Cached in the container instead, each reload after the first
# compiles only what changed.
RELOAD_ENV = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": "/tmp/pycache"}
# The migration step; alembic/env.py takes an advisory lock, so concurrent runs are safe.
MIGRATE = ("python", "-m", "app.migrate")  # as the owner; sets up the API's role
LIVE_PATH = "/health/live"  # the process answers
READY_PATH = "/health/ready"  # and its database does (503 while it doesn't)
# The same probe as the Dockerfile's HEALTHCHECK: slim images have python, not curl.
LIVE_PROBE = (
    "CMD",
    "python",
    "-c",
    f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{API_PORT}{LIVE_PATH}', "
    "timeout=2)",
)


def network_name(config: StackConfig) -> str:
    return f"{config.prefix}-net"


def volume_name(config: StackConfig) -> str:
    return f"{config.prefix}-pgdata"


def postgres_name(config: StackConfig) -> str:
    return f"{config.prefix}-postgres"


def backend_name(config: StackConfig) -> str:
    return f"{config.prefix}-backend"


def api_urls(config: StackConfig, api: str | None = None) -> dict[str, str]:
    """Where a browser or a frontend dev server finds the API (at `api`, by default on this
    machine's loopback), its docs and its OpenAPI document."""
    api = api or f"http://{LOOPBACK}:{config.api_port}"
    return {
        "api_url": api,
        "docs_url": f"{api}/docs",
        "openapi_url": f"{api}/openapi.json",
        "health_url": f"{api}/health",
    }


def backend_build(config: StackConfig) -> ImageBuild:
    return ImageBuild(
        tag=config.backend_image,
        context=config.source_dir,
        args={"PYTHON_IMAGE": config.python_image},
    )


def postgres(config: StackConfig, password: pulumi.Output[str]) -> ContainerSpec:
    published = () if config.postgres_port is None else (Port(POSTGRES_PORT, config.postgres_port),)
    # -h 127.0.0.1: during first-start initialisation the server listens on its socket only.
    ready = ("CMD", "pg_isready", "-h", LOOPBACK, "-U", config.db_user, "-d", config.db_name)
    return ContainerSpec(
        name=postgres_name(config),
        env={"POSTGRES_USER": config.db_user, "POSTGRES_DB": config.db_name},
        secret_env={"POSTGRES_PASSWORD": password},
        ports=published,
        healthcheck=HealthCheck(
            ready, None, interval_s=1, timeout_s=3, retries=5, start_period_s=60
        ),
        mounts=(Mount(POSTGRES_DATA, volume=volume_name(config)),),
        network=network_name(config),
    )


def migrate(
    config: StackConfig, owner_url: pulumi.Output[str], api_url: pulumi.Output[str]
) -> ContainerSpec:
    """The one-shot migration: as the owner, before the API starts; the API's role is made
    from DATABASE_URL's user and password; with `seed`, the samples go in before the API starts."""
    env = {"LOG_FORMAT": config.log_format, "SEED_SAMPLE_DATA": str(config.seed).lower()}
    if config.reload:  # the checkout's alembic/ is mounted: a new revision runs it again
        env["MIGRATIONS_DIGEST"] = folder_digest(config.source_dir / "alembic")
    return ContainerSpec(
        name=f"{config.prefix}-migrate",
        env=env,
        secret_env={"MIGRATION_DATABASE_URL": owner_url, "DATABASE_URL": api_url},
        ports=(),
        healthcheck=None,
        mounts=source_mounts(config) if config.reload else (),
        command=MIGRATE,
        user=APP_USER,
        network=network_name(config),
    )


def backend(config: StackConfig, db_url: pulumi.Output[str] | None) -> ContainerSpec:
    """The API; `db_url` (the DATABASE_URL, the API's role) is None exactly on a mock stack."""
    if config.mock_mode != (db_url is None):
        raise ValueError("a mock stack has no database URL, and a live stack needs one")
    env = {
        "MOCK_MODE": str(config.mock_mode).lower(),
        "CORS_ORIGINS": config.cors_origins,
        "LOG_FORMAT": config.log_format,
    }
    if db_url is not None:
        env["SEED_SAMPLE_DATA"] = str(config.seed).lower()
    if config.reload:
        env |= RELOAD_ENV
    serve = (*SERVE, *RELOAD) if config.reload else SERVE
    return ContainerSpec(
        name=backend_name(config),
        env=env,
        secret_env={"DATABASE_URL": db_url} if db_url is not None else {},
        ports=(Port(API_PORT, config.api_port),),
        healthcheck=HealthCheck(
            LIVE_PROBE,
            HttpHealth(API_PORT, live=LIVE_PATH, ready=READY_PATH),
            interval_s=2,
            timeout_s=3,
            retries=3,
            start_period_s=30,
        ),
        mounts=source_mounts(config) if config.reload else (),
        command=serve,
        user=APP_USER,
        network=None if db_url is None else network_name(config),
    )


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(
        p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        digest.update(f"{path.relative_to(folder)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def source_mounts(config: StackConfig) -> tuple[Mount, ...]:
    """The checkout's code over the image's copy, read-only: what `reload` serves."""
    return tuple(
        Mount(f"{APP_DIR}/{folder}", host_path=str(config.source_dir / folder))
        for folder in ("app", "alembic")
    )
