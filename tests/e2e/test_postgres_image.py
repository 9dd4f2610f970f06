"""The image POSTGRES_IMAGE names (default: the offline stand-in from `python -m tools.images`)
honours the official `postgres` image's contract, on a real Docker engine."""

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from testcontainers.community.postgres import PostgresContainer
from testcontainers.core.config import testcontainers_config

from tests.e2e.conftest import Containers, connect, query
from tools.docker import docker, logs

DATA = "/var/lib/postgresql/data"
USER, PASSWORD, DB = "ogf_user", f"{secrets.token_urlsafe(8)} 'quoted'", "ogf_db"


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
