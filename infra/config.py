"""A stack's settings: the `ossgameforge:*` keys of `Pulumi.<stack>.yaml`, typed and checked.

`read_config` takes a key lookup (the program passes `pulumi.Config(NAMESPACE).get`).
Image names fall back to the project's settings POSTGRES_IMAGE / PYTHON_IMAGE (so offline stand-ins
need no edit of a stack file), then to the official images.
The secrets (dbPassword, externalDatabaseUrl) are not here: they are read where they are used.
`target` says what the stack runs on: the local Docker engine, or a Kubernetes cluster (replicas and
waitForReady are read for both and used by the Kubernetes target only).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pulumi

from app.config import DEV_ORIGINS, ConfigError, load_settings
from app.roles import RoleError, group_name
from infra.images import POSTGRES, PYTHON
from infra.references import is_image_reference

REPO = Path(__file__).resolve().parent.parent
NAMESPACE = "ossgameforge"
Lookup = Callable[[str], str | None]

# config key: the project's image setting (environment variable, official default)
IMAGE_SETTINGS = {"pythonImage": PYTHON, "postgresImage": POSTGRES}
_BOOLEANS = {"true": True, "false": False}
ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
TARGETS = ("docker", "kubernetes")
# A Kubernetes name, short enough for what is named after it: the StatefulSet <prefix>-postgres
# must stay within 52 characters (its Pods' revision label adds 11 to its name, up to 63).
NAME_MAX = 52 - len("-postgres")
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
WHOLE = re.compile(r"[0-9]+")  # str.isdigit also takes '²', which int() refuses


class StackConfigError(pulumi.RunError):
    """A config value a person got wrong; the message names the key. The engine shows it as
    one line (a RunError), not as a traceback."""


def refuse_plain_text(key: str) -> None:
    """Stop the program when the stack file holds `key`, a secret, in plain text."""
    if not pulumi.runtime.is_config_secret(f"{NAMESPACE}:{key}"):
        raise StackConfigError(
            f"{NAMESPACE}:{key} holds a password, and the stack file has it in plain text: set"
            f" it again with `pulumi config set --secret {key}`"
        )


@dataclass(frozen=True)
class StackConfig:
    prefix: str  # names every Docker object of the stack: containers, network, volume
    mock_mode: bool
    api_port: int
    backend_image: str
    python_image: str
    postgres_image: str
    postgres_port: int | None
    db_name: str
    db_user: str  # owns the schema and migrates (live)
    db_app_user: str  # the API's role: rows only (live)
    log_format: str  # the backend's LOG_FORMAT
    cors_origins: str  # the backend's CORS_ORIGINS
    source_dir: Path  # the checkout the backend image is built from (and, with reload, mounted)
    reload: bool  # serve the checkout's app/ with uvicorn --reload instead of the image's copy
    seed: bool  # live: load mock mode's sample rows where absent (migration step, backend start)
    target: str  # one of TARGETS
    replicas: int  # kubernetes: the backend's Pods
    wait_for_ready: bool  # kubernetes: the provider awaits readiness (else pulumi.com/skipAwait)


def read_config(get: Lookup, *, prefix: str, environ: Mapping[str, str]) -> StackConfig:
    """The settings `get` returns for each key (None: unset), with the defaults filled in."""
    mock_mode = _bool(get, "mockMode", default=False)
    images = {
        key: _image(get(key), f"{NAMESPACE}:{key}")
        or _image(environ.get(image.setting), image.setting)
        or image.official
        for key, image in IMAGE_SETTINGS.items()
    }
    config = StackConfig(
        prefix=prefix,
        mock_mode=mock_mode,
        api_port=_port(get, "apiPort") or (8001 if mock_mode else 8000),
        backend_image=_image(get("backendImage"), f"{NAMESPACE}:backendImage")
        or "ossgameforge/backend:dev",
        python_image=images["pythonImage"],
        postgres_image=images["postgresImage"],
        postgres_port=_port(get, "postgresPort"),
        db_name=get("dbName") or "ossgameforge",
        db_user=(db_user := _role(get, "dbUser") or "ossgameforge"),
        db_app_user=_role(get, "dbAppUser") or f"{db_user}_app",
        log_format=_log_format(get, "logFormat"),
        cors_origins=_origins(get, "corsOrigins"),
        source_dir=_checkout(get, "sourceDir"),
        reload=_bool(get, "reload", default=False),
        seed=_bool(get, "seed", default=True),
        target=_target(get, "target", prefix),
        replicas=_replicas(get, "replicas"),
        wait_for_ready=_bool(get, "waitForReady", default=True),
    )
    if config.db_app_user == config.db_user:
        raise StackConfigError(
            f"{NAMESPACE}:dbAppUser and {NAMESPACE}:dbUser are both {db_user!r}: the API's role "
            "must not be the owner"
        )
    try:
        group = group_name(config.db_name)  # the migrations grant the API's privileges to it
    except RoleError as exc:
        raise StackConfigError(f"{NAMESPACE}:dbName: {exc}") from None
    for key, role in (("dbUser", config.db_user), ("dbAppUser", config.db_app_user)):
        if role == group:
            raise StackConfigError(
                f"{NAMESPACE}:{key} is {role!r}, the name of the database's API group role"
                " (the migrations grant the API's privileges to it): choose another name"
            )
    if config.target == "docker" and "@" in config.backend_image:
        raise StackConfigError(
            f"{NAMESPACE}:backendImage names the image this stack builds, so it takes a tag, not"
            f" a digest: got {config.backend_image!r}"
        )
    if config.target == "kubernetes" and config.reload:
        raise StackConfigError(
            f"{NAMESPACE}:reload mounts this machine's checkout, which a cluster can't: "
            f"unset it, or set {NAMESPACE}:target to docker"
        )
    if config.postgres_port == config.api_port:
        raise StackConfigError(
            f"{NAMESPACE}:postgresPort and {NAMESPACE}:apiPort are both {config.api_port}: "
            "set different ports"
        )
    return config


def _bool(get: Lookup, key: str, *, default: bool) -> bool:
    value = get(key)
    if value is None:
        return default
    if value.strip().lower() not in _BOOLEANS:
        raise StackConfigError(f"{NAMESPACE}:{key} must be true or false, got {value!r}")
    return _BOOLEANS[value.strip().lower()]


def _image(value: str | None, setting: str) -> str | None:
    """`value` (None: unset) if it is an image reference; else `setting` (a key, or the
    environment variable it came from) is named."""
    if value and not is_image_reference(value):
        raise StackConfigError(
            f"{setting} must be an image reference such as "
            f"registry.example:5000/ossgameforge-backend:1.0, got {value!r}"
        )
    return value


def _target(get: Lookup, key: str, prefix: str) -> str:
    value = get(key) or "docker"
    if value not in TARGETS:
        raise StackConfigError(f"{NAMESPACE}:{key} must be docker or kubernetes, got {value!r}")
    if value == "kubernetes" and not (DNS_LABEL.fullmatch(prefix) and len(prefix) <= NAME_MAX):
        raise StackConfigError(
            f"{NAMESPACE}:{key} is kubernetes, and the namespace would be {prefix!r}, which is "
            f"not a Kubernetes name of at most {NAME_MAX} characters (lower-case letters, digits "
            "and -): rename the project or the stack"
        )
    return value


def _replicas(get: Lookup, key: str) -> int:
    value = get(key)
    if value is None:
        return 2
    if not WHOLE.fullmatch(value.strip()) or int(value) < 1:
        raise StackConfigError(f"{NAMESPACE}:{key} must be a whole number from 1, got {value!r}")
    return int(value)


def _checkout(get: Lookup, key: str) -> Path:
    value = get(key)
    folder = Path(value).expanduser().resolve() if value else REPO
    for needed in ("app", "alembic", "Dockerfile"):
        if not (folder / needed).exists():
            raise StackConfigError(
                f"{NAMESPACE}:{key}: {folder} has no {needed}: set it to a checkout of this "
                "repository (unset: the one this program runs from)"
            )
    return folder


def _role(get: Lookup, key: str) -> str | None:
    value = get(key)
    if value is not None and not ROLE.fullmatch(value):
        raise StackConfigError(
            f"{NAMESPACE}:{key} must be a PostgreSQL role name (lower-case letters, digits and "
            f"_, starting with a letter or _, at most 63), got {value!r}"
        )
    return value


def _log_format(get: Lookup, key: str) -> str:
    value = get(key)
    if value is None:
        return "text"
    try:
        return load_settings(mock_mode=True, database_url=None, log_format=value).log_format
    except ConfigError as exc:
        raise StackConfigError(f"{NAMESPACE}:{key}: {exc}") from None


def _origins(get: Lookup, key: str) -> str:
    value = get(key)
    if value is None:
        return ",".join(DEV_ORIGINS)
    try:
        settings = load_settings(mock_mode=True, database_url=None, cors_origins=value)
        return ",".join(settings.cors_origins)
    except ConfigError as exc:
        raise StackConfigError(f"{NAMESPACE}:{key}: {exc}") from None


def _port(get: Lookup, key: str) -> int | None:
    value = get(key)
    if value is None:
        return None
    if not WHOLE.fullmatch(value.strip()) or not 0 < int(value) < 65536:
        raise StackConfigError(f"{NAMESPACE}:{key} must be a port from 1 to 65535, got {value!r}")
    return int(value)
