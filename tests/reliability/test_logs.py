"""No password and no connection URL reaches the log of a server whose database fails in any of
the usual ways, in either LOG_FORMAT: the whole output of a run is searched, start to shutdown."""

import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.engine import make_url

from tests.db import roles
from tests.reliability.conftest import Postgres
from tools.load import uvicorn_server

Case = tuple[str, str]  # a DATABASE_URL with a password in it, and what the log must say


def with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


@pytest.fixture
def refused(refused_url: str) -> Case:
    return with_password(refused_url, secrets.token_hex(12)), "Connection refused"


@pytest.fixture
def hung(hung_url: str) -> Case:
    return with_password(hung_url, secrets.token_hex(12)), "no answer within"


@pytest.fixture
def refused_password(postgres: Postgres, wrong_password: Callable[[str], str]) -> Case:
    return wrong_password(postgres.owner_url), "password authentication failed"


@pytest.fixture
def unmigrated(embedded_server: tuple[Path, str]) -> Case:
    """The owner's URL (with its password) of a database without tables: errors with traces."""
    owner_url = roles(embedded_server[1]).create_database(f"ogf_empty_{secrets.token_hex(4)}")
    return owner_url, 'relation "assets" does not exist'


REQUESTS = [
    ("GET", "/health"),
    ("GET", "/health/ready"),
    ("GET", "/assets"),
    ("POST", "/assets"),
    ("GET", "/generation-logs?user_id=u"),
    ("GET", "/assets/not-an-id"),
]


@pytest.mark.parametrize(
    ("case", "log_format"),
    [("refused", "json"), ("hung", "text"), ("refused_password", "json"), ("unmigrated", "text")],
)
def test_no_password_or_url_reaches_the_log(
    case: str, log_format: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url, cause = request.getfixturevalue(case)
    password = str(make_url(url).password)
    body = {"project_id": "p", "path": "a.png", "type": "image", "consent_hash": "h"}
    log = tmp_path / "uvicorn.log"
    env = {"DATABASE_URL": url, "MOCK_MODE": "false", "LOG_FORMAT": log_format}
    with uvicorn_server(env, log) as server:
        for _ in range(2):
            for method, path in REQUESTS:
                httpx2.request(method, f"{server.url}{path}", json=body, timeout=10)
            time.sleep(0.3)  # past the probe's cache: the next round probes again
    output = log.read_text()
    assert cause in output  # the failure was logged, in its own words
    assert len(password) >= 16 and password not in output
    assert url not in output and "postgresql://" not in output
    if log_format == "json":
        assert all(json.loads(line) for line in output.splitlines())
