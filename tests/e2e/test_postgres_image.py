"""The image POSTGRES_IMAGE names (default: the offline stand-in from `python -m tools.images`)
honours the official `postgres` image's contract, on a real Docker engine."""

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from psycopg2.extensions import connection as Connection
from testcontainers.community.postgres import PostgresContainer
from testcontainers.core.config import testcontainers_config

from tools.images import LOCAL_POSTGRES_IMAGE, obtainable

IMAGE = os.environ.get("POSTGRES_IMAGE") or LOCAL_POSTGRES_IMAGE
DATA = "/var/lib/postgresql/data"
USER, PASSWORD, DB = "ogf_user", f"{secrets.token_urlsafe(8)} 'quoted'", "ogf_db"


def docker(*args: str, timeout: float = 60) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"docker {' '.join(args)}: {done.stderr.strip()}"
    return done.stdout.strip()


def logs(name: str) -> str:
    """The container's output, stdout and stderr interleaved."""
    done = subprocess.run(
        ["docker", "logs", name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    return done.stdout.decode()


@pytest.fixture(scope="session")
def image() -> str:
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
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
            subprocess.run(["docker", "rm", "--force", "--volumes", name], capture_output=True)
        for volume in self.volumes:
            subprocess.run(["docker", "volume", "rm", "--force", volume], capture_output=True)


@pytest.fixture
def containers(image: str) -> Iterator[Containers]:
    made = Containers(image)
    yield made
    made.remove_all()


@pytest.fixture(scope="module")
def server(image: str) -> Iterator[str]:
    """One running container started with POSTGRES_USER/PASSWORD/DB and `postgres -c fsync=off`."""
    made = Containers(image)
    try:
        env = {"POSTGRES_USER": USER, "POSTGRES_PASSWORD": PASSWORD, "POSTGRES_DB": DB}
        name = made.run("postgres", "-c", "fsync=off", env=env)
        connect(name, USER, PASSWORD, DB).close()
        yield name
    finally:
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


def test_user_password_and_database_come_from_the_environment(server: str) -> None:
    connection = connect(server, USER, PASSWORD, DB)
    assert query(connection, "SELECT current_user, current_database()") == [(USER, DB)]


def test_database_defaults_to_the_user_name(containers: Containers) -> None:
    name = containers.run(env={"POSTGRES_USER": USER, "POSTGRES_PASSWORD": PASSWORD})
    assert query(connect(name, USER, PASSWORD, USER), "SELECT current_database()") == [(USER,)]


def test_wrong_password_is_rejected(server: str) -> None:
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        connect(server, USER, "wrong", DB)


@pytest.mark.parametrize("env", [{}, {"POSTGRES_PASSWORD": ""}], ids=["missing", "empty"])
def test_start_without_a_password_is_refused(containers: Containers, env: dict[str, str]) -> None:
    name = containers.run(env=env)
    assert docker("wait", name) != "0"
    assert "POSTGRES_PASSWORD" in logs(name)


def test_postgres_version_needs_no_password(containers: Containers) -> None:
    name = containers.run("postgres", "--version", env={})
    assert docker("wait", name) == "0"
    assert "(PostgreSQL)" in logs(name)


def test_server_options_from_the_command_apply(server: str) -> None:
    assert query(connect(server, USER, PASSWORD, DB), "SHOW fsync") == [("off",)]


def test_bare_options_are_passed_to_postgres(containers: Containers) -> None:
    name = containers.run("-c", "fsync=off", env={"POSTGRES_PASSWORD": PASSWORD})
    assert query(connect(name, "postgres", PASSWORD, "postgres"), "SHOW fsync") == [("off",)]


def test_data_lives_in_pgdata_and_outlives_the_container(containers: Containers) -> None:
    volume = containers.volume()
    env = {"POSTGRES_USER": USER, "POSTGRES_PASSWORD": PASSWORD}
    first = containers.run(env=env, mounts=(f"{volume}:{DATA}",))
    create = "CREATE TABLE kept AS SELECT 42 AS answer; SELECT count(*) FROM kept"
    assert query(connect(first, USER, PASSWORD, USER), create) == [(1,)]
    docker("stop", first)
    # A second container: the volume is initialised, so no password is needed and none is set.
    second = containers.run(env={}, mounts=(f"{volume}:{DATA}",))
    assert query(connect(second, USER, PASSWORD, USER), "SELECT answer FROM kept") == [(42,)]


def test_psql_and_pg_isready_are_on_path(server: str) -> None:
    assert "accepting connections" in docker("exec", server, "pg_isready")
    assert (
        docker("exec", server, "psql", f"--username={USER}", f"--dbname={DB}", "-tAc", "SELECT 1")
        == "1"
    )


def test_server_is_pid_1_and_not_root(server: str) -> None:
    assert docker("exec", server, "cat", "/proc/1/comm") == "postgres"
    assert docker("exec", server, "stat", "--format=%U", "/proc/1") == "postgres"


def test_docker_stop_shuts_down_cleanly_with_a_client_connected(containers: Containers) -> None:
    name = containers.run(env={"POSTGRES_PASSWORD": PASSWORD})
    connection = connect(name, "postgres", PASSWORD, "postgres")
    started = time.monotonic()
    docker("stop", "--time=10", name)
    assert time.monotonic() - started < 9
    assert docker("inspect", "--format={{.State.ExitCode}}", name) == "0"
    assert "database system is shut down" in logs(name)
    connection.close()


def test_initdb_scripts_run_on_first_start(containers: Containers, tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE seeded (id int);")
    tmp_path.chmod(0o755)
    name = containers.run(
        env={"POSTGRES_PASSWORD": PASSWORD}, mounts=(f"{tmp_path}:/docker-entrypoint-initdb.d:ro",)
    )
    connection = connect(name, "postgres", PASSWORD, "postgres")
    assert query(connection, "SELECT to_regclass('seeded')::text") == [("seeded",)]


def test_testcontainers_postgres_container_starts(
    image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ryuk (testcontainers' reaper) is an image from a registry; `with` removes the container.
    monkeypatch.setattr(testcontainers_config, "ryuk_disabled", True)
    password = secrets.token_hex(8)
    with PostgresContainer(image, username=USER, password=password, dbname=DB) as postgres:
        connection = psycopg2.connect(postgres.get_connection_url(driver=None))
        assert query(connection, "SELECT current_user, current_database()") == [(USER, DB)]
