"""`api`: the same tests against mock mode and against live mode on a real PostgreSQL."""

import uuid

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(params=["mock", pytest.param("live", marks=pytest.mark.integration)])
def api(request: pytest.FixtureRequest) -> TestClient:
    """Mock mode, then live mode (the integration `client`: rolled back after each test)."""
    client: TestClient = request.getfixturevalue(
        "mock_client" if request.param == "mock" else "client"
    )
    return client


@pytest.fixture
def tag() -> str:
    """A project or user id no other row has, so lists hold only this test's rows."""
    return f"contract-{uuid.uuid4().hex[:12]}"
