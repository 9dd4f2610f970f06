"""`nox -s dev`: serve the API with reload on the embedded PostgreSQL, DATABASE_URL, or mocks.

Browsers may call it from the usual frontend dev servers (DEV_ORIGINS) unless CORS_ORIGINS is
set (empty: from none)."""

import argparse
import contextlib
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import uvicorn
from sqlalchemy.engine import make_url

from app.config import (
    DEV_ORIGINS,
    ConfigError,
    MigrationSettings,
    load_migration_settings,
    load_settings,
)
from app.migrate import MigrationError, log_to_stderr, migrate

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".devdata" / "postgres"
# The embedded server's API role: the app is served as it, the superuser migrates.
API_ROLE = "ossgameforge_app"
API_PASSWORD = ROOT / ".devdata" / "api-role-password"  # made once, so every start agrees


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s dev --", description=__doc__)
    parser.add_argument("--mock", action="store_true", help="serve MOCK_MODE, no database at all")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--no-reload", action="store_true", help="don't restart on code changes")
    parser.add_argument("--seed", action="store_true", help="load mock mode's samples first")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, got {args.port}")
    if args.seed and args.mock:
        parser.error("--seed writes to a database; --mock serves the same samples without one")

    # SIGTERM unwinds like Ctrl-C, so the embedded server below is always stopped.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    _stop_when_orphaned()
    try:
        origins = _cors_origins()
        with _database(mock=args.mock, seed=args.seed) as source:
            print(f"dev: {source}; serving http://{args.host}:{args.port}", flush=True)
            print(f"dev: CORS_ORIGINS={origins}", flush=True)
            uvicorn.run(
                "app.main:app",
                host=args.host,
                port=args.port,
                reload=not args.no_reload,
                reload_dirs=[str(ROOT / "app")],
            )
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MigrationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _cors_origins() -> str:
    """CORS_ORIGINS as set (empty: none), else the dev servers'; the server process inherits it."""
    if "cors_origins" not in load_settings(mock_mode=True).model_fields_set:
        os.environ["CORS_ORIGINS"] = ",".join(DEV_ORIGINS)
    return ",".join(load_settings(mock_mode=True).cors_origins)


@contextlib.contextmanager
def _database(*, mock: bool, seed: bool) -> Iterator[str]:
    if mock:
        os.environ["MOCK_MODE"] = "true"
        os.environ.pop("DATABASE_URL", None)
        load_settings()
        yield "MOCK_MODE=true, no database"
        return
    with live_database() as (url, source):
        if seed:
            from tools.seed import report
            from tools.seed import seed as load_samples

            source = f"{source}; {report(load_samples(url))}"
        yield source


@contextlib.contextmanager
def live_database() -> Iterator[tuple[str, str]]:
    """DATABASE_URL (from the environment or .env), migrated as `python -m app.migrate` does
    (as MIGRATION_DATABASE_URL's owner, if set); else the embedded server, migrated by its
    superuser, and served as API_ROLE.

    Yields the URL to serve (also DATABASE_URL from here on) and where it came from."""
    url = load_settings(mock_mode=True).database_url
    if url:
        os.environ["MOCK_MODE"] = "false"  # this database is what will be served
        _migrate(load_migration_settings())
        yield url, "DATABASE_URL (environment or .env)"
        return
    from tools.embedded import embedded_postgres_url

    with embedded_postgres_url(DATA_DIR) as owner_url:
        url = (
            make_url(owner_url)
            .set(username=API_ROLE, password=_api_password())
            .render_as_string(hide_password=False)
        )
        os.environ["DATABASE_URL"] = url
        os.environ["MOCK_MODE"] = "false"
        _migrate(load_migration_settings(migration_database_url=owner_url))
        yield url, f"embedded PostgreSQL in {DATA_DIR.relative_to(ROOT)}, as {API_ROLE}"


def _migrate(settings: MigrationSettings) -> None:
    log_to_stderr(settings)
    migrate(settings)


def _api_password() -> str:
    if not API_PASSWORD.exists():
        API_PASSWORD.parent.mkdir(parents=True, exist_ok=True)
        API_PASSWORD.touch(mode=0o600)
        API_PASSWORD.write_text(secrets.token_urlsafe(24))
    return API_PASSWORD.read_text().strip()


def _stop_when_orphaned() -> None:
    """nox dies on SIGTERM without passing it on; we notice and shut down as if told to."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
