"""The vocabulary of `infra/spec.py`: a container described as plain data, for any target."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pulumi

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Port:
    container: int
    host: int
    host_ip: str = LOOPBACK


@dataclass(frozen=True)
class HttpHealth:
    """Health as HTTP paths, for a target that probes over HTTP (Kubernetes)."""

    port: int
    live: str
    ready: str


@dataclass(frozen=True)
class HealthCheck:
    test: tuple[str, ...]  # Docker's form: ("CMD", program, args...)
    http: HttpHealth | None  # the same health as HTTP paths, where the process serves them
    interval_s: int
    timeout_s: int
    retries: int
    start_period_s: int


@dataclass(frozen=True)
class Mount:
    path: str  # in the container
    volume: str | None = None  # a named volume, or
    host_path: str | None = None  # a folder of the host, mounted read-only


@dataclass(frozen=True)
class ImageBuild:
    tag: str
    context: Path  # holds the Dockerfile and the .dockerignore
    args: Mapping[str, str]


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    env: Mapping[str, str]
    secret_env: Mapping[str, pulumi.Output[str]]
    ports: tuple[Port, ...]
    healthcheck: HealthCheck | None  # None: a one-shot container, waited for until it exits
    mounts: tuple[Mount, ...] = ()
    command: tuple[str, ...] | None = None  # None: the image's CMD
    user: str | None = None  # None: the image's USER
    network: str | None = None  # None: Docker's default bridge
