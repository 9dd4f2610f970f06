"""A database that is down, or refuses the password: what a person starting the API or Alembic sees.

A missing or malformed DATABASE_URL and a bad MOCK_MODE: tests/unit/test_startup_errors.py.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.engine import make_url

from tests.db import ROOT
from tests.reliability.clients import DEGRADED
from tests.reliability.conftest import Postgres, ServeFactory, events

UNREACHABLE = "error: cannot reach the database in DATABASE_URL"
CASES = ["database_down", "refused_password"]
Case = tuple[str, str]  # a DATABASE_URL, and libpq's first line about it


@pytest.fixture
def database_down(refused_url: str) -> Case:
    port = make_url(refused_url).port
    return (
        refused_url,
        f'connection to server at "127.0.0.1", port {port} failed: Connection refused',
    )


@pytest.fixture
def refused_password(postgres: Postgres, wrong_password: Callable[[str], str]) -> Case:
    url = make_url(wrong_password(postgres.owner_url))
    socket_file = Path(str(url.query["host"])) / ".s.PGSQL.5432"
    return url.render_as_string(hide_password=False), (
        f'connection to server on socket "{socket_file}" failed:'
        f' FATAL:  password authentication failed for user "{url.username}"'
    )


@pytest.mark.parametrize("case", CASES)
def test_api_serves_degraded_and_logs_the_cause_once_without_traceback(
    case: str, request: pytest.FixtureRequest, serve: ServeFactory
) -> None:
    url, cause = request.getfixturevalue(case)
    server = serve(url)
    answers = []
    for path in ("/health", "/health/ready", "/health", "/health/ready"):
        response = httpx2.get(f"{server.url}{path}")
        answers.append((path, response.status_code, response.json()))
        time.sleep(0.2)  # past the probe's cache: each request sets off another probe
    assert answers == [
        ("/health", 200, DEGRADED),
        ("/health/ready", 503, DEGRADED),
        ("/health", 200, DEGRADED),
        ("/health/ready", 503, DEGRADED),
    ]
    assert "Traceback" not in server.log.read_text()
    assert events(server.log) == [f"ERROR database unavailable: {cause}"]


@pytest.mark.parametrize("case", CASES)
def test_alembic_exits_non_zero_with_one_line_naming_the_cause(
    case: str, request: pytest.FixtureRequest
) -> None:
    url, cause = request.getfixturevalue(case)
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url, "MOCK_MODE": "false"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"{UNREACHABLE}: {cause}"]
    assert result.stdout == ""
