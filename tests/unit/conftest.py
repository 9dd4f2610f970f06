import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings, load_settings
from app.main import create_app


@pytest.fixture
def mock_client() -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(mock_mode=True, database_url=None))) as client:
        yield client


@pytest.fixture
def refused_url() -> str:
    """A TCP port on loopback where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://app:secret@127.0.0.1:{port}/app"


@pytest.fixture
def hung_url() -> Iterator[str]:
    """A server that accepts TCP connections and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"postgresql://app:secret@127.0.0.1:{sock.getsockname()[1]}/app"


def live_settings(url: str) -> Settings:
    return load_settings(mock_mode=False, database_url=url)
