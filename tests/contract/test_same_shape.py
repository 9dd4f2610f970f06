"""Mock and live mode, side by side: the same requests get the same status codes and shapes."""

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.shapes import asset_body, log_body, shape

pytestmark = pytest.mark.integration
STATUSES = [201, 200, 200, 200, 422, 404, 404, 422, 422, 422, 422]
STATUSES += [201, 201, 200, 200, 200, 404, 422, 422]


def session_of_requests(api: TestClient, tag: str) -> list[tuple[str, int, Any]]:
    """A frontend's typical round: create, read, change, list, and some mistakes."""
    seen: list[tuple[str, int, Any]] = []

    def call(method: str, url: str, **kwargs: Any) -> Any:
        response = api.request(method, url, **kwargs)
        body = response.json()
        # Error bodies must match exactly; successful ones in shape (ids and times differ).
        label = f"{method} {re.sub('[0-9a-f-]{36}', '{id}', url)}"
        seen.append((label, response.status_code, body if response.is_error else shape(body)))
        return body

    asset = call("POST", "/assets", json=asset_body(tag))
    call("GET", f"/assets/{asset['id']}")
    call("PATCH", f"/assets/{asset['id']}", json={"status": "ready", "exif_stripped": True})
    call("GET", "/assets", params={"project_id": tag, "status": "ready", "limit": 1})
    call("GET", "/assets", params={"project_id": tag, "cursor": "from-somewhere-else"})
    call("GET", f"/assets/{uuid.UUID(int=0)}")
    call("PATCH", f"/assets/{uuid.UUID(int=1)}", json={"status": "failed"})
    call("GET", "/assets/latest")
    call("POST", "/assets", json=asset_body(tag) | {"consent_hash": "sha256:abc", "size": 1})
    call("PATCH", f"/assets/{asset['id']}", json={"status": "deleted"})
    call("GET", "/assets", params={"limit": 500, "status": "new"})
    log = call("POST", "/generation-logs", json=log_body(tag) | {"status": "cached"})
    call("POST", "/generation-logs", json=log_body(tag) | {"status": "fail", "error": "timeout"})
    call("GET", f"/generation-logs/{log['id']}")
    call("GET", "/generation-logs", params={"user_id": tag, "model_version": "sdxl-1.0"})
    call("GET", "/generation-logs", params={"user_id": tag, "status": "fail", "limit": 1})
    call("GET", f"/generation-logs/{uuid.UUID(int=0)}")
    call("GET", "/generation-logs/0")
    call("POST", "/generation-logs", json=log_body(tag) | {"latency_ms": -1, "input_hash": ""})
    return seen


def test_mock_and_live_answer_the_same_requests_alike(
    mock_client: TestClient, client: TestClient, tag: str
) -> None:
    mock, live = session_of_requests(mock_client, tag), session_of_requests(client, tag)
    assert [status for _, status, _ in mock] == STATUSES
    assert mock == live


def test_mock_and_live_serve_the_same_openapi_document(
    mock_client: TestClient, client: TestClient
) -> None:
    assert mock_client.get("/openapi.json").json() == client.get("/openapi.json").json()
