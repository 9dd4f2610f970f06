"""`api`: the same tests against mock mode and against live mode on a real PostgreSQL."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import load_settings
from app.main import create_app
from tests.unit.conftest import hung_url, refused_url  # noqa: F401


@pytest.fixture
def mock_api() -> Iterator[TestClient]:
    """A fresh mock-mode app: its own sample data, no database."""
    with TestClient(create_app(load_settings(mock_mode=True, database_url=None))) as client:
        yield client


@pytest.fixture(params=["mock", pytest.param("live", marks=pytest.mark.integration)])
def api(request: pytest.FixtureRequest) -> TestClient:
    """Mock mode, then live mode (the integration `client`: rolled back after each test)."""
    client: TestClient = request.getfixturevalue(
        "mock_api" if request.param == "mock" else "client"
    )
    return client


@pytest.fixture
def tag() -> str:
    """A project or user id no other row has, so lists hold only this test's rows."""
    return f"contract-{uuid.uuid4().hex[:12]}"
