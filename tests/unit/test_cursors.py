"""Page cursors across apps: one CURSOR_SECRET, one set of valid cursors; never a 500."""

import base64
import hashlib
import hmac
import secrets
import struct
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import load_settings
from app.cursors import MESSAGE
from app.main import create_app, cursor_key

LIST = "/generation-logs?limit=2"


def mock_api(secret: str | None) -> TestClient:
    return TestClient(create_app(load_settings(mock_mode=True, cursor_secret=secret)))


@pytest.fixture
def secret() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture
def first(secret: str) -> Iterator[TestClient]:
    with mock_api(secret) as api:
        yield api


def next_cursor(api: TestClient) -> str:
    cursor = api.get(LIST).json()["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


def test_processes_with_the_same_cursor_secret_accept_each_others_cursors(
    first: TestClient, secret: str
) -> None:
    cursor = next_cursor(first)
    with mock_api(secret) as second:
        answer = second.get(LIST, params={"cursor": cursor})
        assert answer.status_code == 200
        assert answer.json()["items"] == first.get(LIST, params={"cursor": cursor}).json()["items"]


@pytest.mark.parametrize("other", [None, "another secret of enough length"])
def test_a_cursor_from_an_app_with_another_key_is_refused(
    first: TestClient, other: str | None
) -> None:
    with mock_api(other) as second:
        answer = second.get(LIST, params={"cursor": next_cursor(first)})
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["msg"] == MESSAGE


def forged(secret: str, micros: int) -> str:
    """A cursor for LIST signed with the key of `secret`, as the app signs them."""
    key = cursor_key(load_settings(mock_mode=True, cursor_secret=secret))
    body = struct.pack(">Bq16s", 1, micros, uuid.uuid4().bytes)
    tag = hmac.new(key, b"generation_logs {}\0" + body, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(body + tag).rstrip(b"=").decode()


def test_a_well_signed_cursor_holding_an_impossible_time_is_a_422(secret: str) -> None:
    with mock_api(secret) as api:
        assert api.get(LIST, params={"cursor": forged(secret, 0)}).status_code == 200
        answer = api.get(LIST, params={"cursor": forged(secret, 2**62)})
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["msg"] == MESSAGE
