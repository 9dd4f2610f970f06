"""Containers from the image POSTGRES_IMAGE names, removed after each test, and ways into them."""

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import suppress

import psycopg2
import pytest
from psycopg2.extensions import connection as Connection

from tools.docker import DockerError, answers, docker, obtainable
from tools.images import LOCAL_POSTGRES_IMAGE

IMAGE = os.environ.get("POSTGRES_IMAGE") or LOCAL_POSTGRES_IMAGE


@pytest.fixture(scope="session")
def image() -> str:
    if not answers():
        pytest.skip("no Docker engine answers (start one: bash .ci/docker-engine.sh)")
    if not obtainable(IMAGE):
        pytest.fail(f"{IMAGE} cannot be had: build the stand-in with `python -m tools.images`")
    return IMAGE


class Containers:
    """Containers and named volumes made from the image, all removed by `remove_all`."""

    def __init__(self, image: str) -> None:
        self.image = image
        self.names: list[str] = []
        self.volumes: list[str] = []

    def run(self, *command: str, env: dict[str, str], mounts: tuple[str, ...] = ()) -> str:
        name = f"ogf-e2e-{secrets.token_hex(4)}"
        self.names.append(name)
        options = [f"--name={name}", "--publish=127.0.0.1::5432"]
        options += [f"--env={key}={value}" for key, value in env.items()]
        options += [f"--volume={mount}" for mount in mounts]
        docker("run", "--detach", *options, self.image, *command)
        return name

    def volume(self) -> str:
        self.volumes.append(docker("volume", "create", f"ogf-e2e-{secrets.token_hex(4)}"))
        return self.volumes[-1]

    def remove_all(self) -> None:
        for name in self.names:
            with suppress(DockerError):  # already gone
                docker("rm", "--force", "--volumes", name)
        for volume in self.volumes:
            with suppress(DockerError):
                docker("volume", "rm", "--force", volume)


@pytest.fixture
def containers(image: str) -> Iterator[Containers]:
    made = Containers(image)
    yield made
    made.remove_all()


def connect(name: str, user: str, password: str, dbname: str) -> Connection:
    """Connect through the published port, waiting (bounded) for the server to be ready."""
    port = int(docker("port", name, "5432/tcp").splitlines()[0].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while True:
        try:
            dsn = f"host=127.0.0.1 port={port} connect_timeout=5"
            return psycopg2.connect(dsn, user=user, password=password, dbname=dbname)
        except psycopg2.OperationalError as error:
            running = docker("inspect", "--format={{.State.Running}}", name) == "true"
            if "authentication failed" in str(error) or not running or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def query(connection: Connection, sql: str) -> list[tuple[object, ...]]:
    """The rows of `sql`'s last statement; the connection is closed after."""
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(sql)
            rows: list[tuple[object, ...]] = cursor.fetchall()
            return rows
    finally:
        connection.close()
