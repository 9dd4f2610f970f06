"""What the local check (`python -m tools.stack`) asks a running stack, as a user would see it."""

import json
import socket
import time
import urllib.request

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool


class CheckFailed(Exception):
    """What a user would notice is wrong; one line."""


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on at 127.0.0.1 right now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def wait_for_health(url: str, database: str, timeout: float = 30) -> None:
    """Wait until `url` (a /health) answers 200 with `database` as the database's state."""
    deadline, body = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read().decode()
            if json.loads(body)["services"]["database"] == database:
                return
        except OSError as exc:
            body = str(exc)
        time.sleep(0.1)
    raise CheckFailed(f"{url} did not report database {database!r} in {timeout:.0f}s: {body}")


def count_rows(url: URL, marker: str, *, insert: bool = False) -> int:
    """The `assets` rows of project `marker`, after inserting one if `insert`."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            if insert:
                connection.execute(
                    text(
                        "INSERT INTO assets (project_id, path, type, consent_hash)"
                        " VALUES (:marker, 'stack-check.png', 'image', 'stack-check')"
                    ),
                    {"marker": marker},
                )
            query = text("SELECT count(*) FROM assets WHERE project_id = :marker")
            return int(connection.execute(query, {"marker": marker}).scalar_one())
    finally:
        engine.dispose()
