"""The live app for the fuzzer, on a migrated PostgreSQL database of its own."""

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.config import load_settings
from app.main import create_app
from tests.db import Database, admin

CASES: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzz_database(migrated_database: Callable[[], Database]) -> Database:
    """The fuzzer's writes are committed, so it gets a database no other test reads."""
    return migrated_database()


@pytest.fixture(scope="session")
def live_app(fuzz_database: Database) -> FastAPI:
    return create_app(load_settings(mock_mode=False, database_url=fuzz_database.url))


@pytest.fixture
def emptied_live_app(live_app: FastAPI, fuzz_database: Database) -> Iterator[Callable[[], FastAPI]]:
    """Gives the live app with its tables emptied first (by the owner: the API's role may not),
    so each chain starts from no rows."""
    engine = admin(fuzz_database.owner_url)

    def emptied() -> FastAPI:
        with engine.connect() as connection:
            connection.execute(text("TRUNCATE assets, generation_logs"))
        return live_app

    yield emptied
    engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many requests the fuzzer sent per mode, and to which operations."""
    for mode in ("mock", "live"):
        sent = {key.removeprefix(f"{mode} "): n for key, n in CASES.items() if key.startswith(mode)}
        if sent:
            terminalreporter.write_line(
                f"fuzz, {mode} mode: {sum(sent.values())} requests to {len(sent)} operations:"
                f" {', '.join(sorted(sent))}"
            )
