"""A stack's settings: the `ossgameforge:*` keys of `Pulumi.<stack>.yaml`, typed and checked.

`read_config` takes a key lookup, so the Pulumi program (`pulumi.Config().get`) and the local check
(`python -m tools.stack`, reading the stack file) get the same defaults and the same errors.
Image names fall back to the project's settings POSTGRES_IMAGE / PYTHON_IMAGE (so offline stand-ins
need no edit of a stack file), then to the official images.
The database password is not here: it is a secret, read where it is used.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from app.config import DEV_ORIGINS, ConfigError, load_settings
from infra.images import POSTGRES, PYTHON

REPO = Path(__file__).resolve().parent.parent
NAMESPACE = "ossgameforge"
Lookup = Callable[[str], str | None]

# config key: the project's image setting (environment variable, official default)
IMAGE_SETTINGS = {"pythonImage": PYTHON, "postgresImage": POSTGRES}
_BOOLEANS = {"true": True, "false": False}


class StackConfigError(ValueError):
    """A config value a person got wrong; the message names the key."""


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
    db_user: str
    cors_origins: str  # the backend's CORS_ORIGINS


def read_config(get: Lookup, *, prefix: str, environ: Mapping[str, str]) -> StackConfig:
    """The settings `get` returns for each key (None: unset), with the defaults filled in."""
    mock_mode = _bool(get, "mockMode", default=False)
    images = {
        key: get(key) or environ.get(image.setting) or image.official
        for key, image in IMAGE_SETTINGS.items()
    }
    config = StackConfig(
        prefix=prefix,
        mock_mode=mock_mode,
        api_port=_port(get, "apiPort") or (8001 if mock_mode else 8000),
        backend_image=get("backendImage") or "ossgameforge/backend:dev",
        python_image=images["pythonImage"],
        postgres_image=images["postgresImage"],
        postgres_port=_port(get, "postgresPort"),
        db_name=get("dbName") or "ossgameforge",
        db_user=get("dbUser") or "ossgameforge",
        cors_origins=_origins(get, "corsOrigins"),
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
    if not value.strip().isdigit() or not 0 < int(value) < 65536:
        raise StackConfigError(f"{NAMESPACE}:{key} must be a port from 1 to 65535, got {value!r}")
    return int(value)


def stack_file(stack: str, repo: Path = REPO) -> dict[str, str]:
    """The plain `ossgameforge:*` values of `Pulumi.<stack>.yaml`, as strings the way Pulumi
    hands them to the program, keys without the namespace. Secrets (`secure:`) are left out."""
    document = yaml.safe_load((repo / f"Pulumi.{stack}.yaml").read_text()) or {}
    values: dict[str, str] = {}
    for key, value in (document.get("config") or {}).items():
        namespace, _, name = str(key).rpartition(":")
        if namespace == NAMESPACE and not isinstance(value, dict):
            values[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return values
