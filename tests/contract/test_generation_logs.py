"""/generation-logs: every test runs in mock mode and in live mode, unchanged."""

import uuid
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.shapes import (
    GENERATION_LOG,
    PAGE,
    assert_shape,
    assert_validation_error,
    log_body,
)


def create(api: TestClient, user_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/generation-logs", json=log_body(user_id) | fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": "fail", "latency_ms": None, "error": "out of GPU memory"},
        {"status": "cached", "lora_adapter": "pixel-art-v2", "latency_ms": 0},
    ],
    ids=["success", "fail", "cached"],
)
def test_create_answers_201_with_the_record(
    api: TestClient, tag: str, fields: dict[str, Any]
) -> None:
    sent = log_body(tag) | fields
    response = api.post("/generation-logs", json=sent)
    assert response.status_code == 201
    body = response.json()
    assert_shape(body, GENERATION_LOG)
    assert {key: body[key] for key in sent} == sent
    assert uuid.UUID(body["id"]).version == 4
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None


def test_optional_fields_default_to_null(api: TestClient, tag: str) -> None:
    body = log_body(tag)
    for optional in ("lora_adapter", "latency_ms", "error"):
        del body[optional]
    created = api.post("/generation-logs", json=body).json()
    assert (created["lora_adapter"], created["latency_ms"], created["error"]) == (None, None, None)


def test_get_returns_what_create_returned(api: TestClient, tag: str) -> None:
    created = create(api, tag)
    response = api.get(f"/generation-logs/{created['id']}")
    assert (response.status_code, response.json()) == (200, created)


def test_list_filters_by_user_status_and_model_version(api: TestClient, tag: str) -> None:
    plain = create(api, tag)
    failed = create(api, tag, status="fail", error="timeout")
    other_model = create(api, tag, model_version="musicgen-small")
    create(api, f"{tag}-other")

    def ids(**params: str) -> list[str]:
        page = api.get("/generation-logs", params={"user_id": tag, **params}).json()
        assert_shape(page, PAGE)
        assert page["next_cursor"] is None
        return [item["id"] for item in page["items"]]

    assert ids() == [other_model["id"], failed["id"], plain["id"]]
    assert ids(status="fail") == [failed["id"]]
    assert ids(model_version="musicgen-small") == [other_model["id"]]
    assert ids(status="success", model_version="sdxl-1.0") == [plain["id"]]
    assert ids(status="cached") == []


def test_list_pages_newest_first_by_cursor(api: TestClient, tag: str) -> None:
    ids = [create(api, tag, latency_ms=n)["id"] for n in range(3)]
    first = api.get("/generation-logs", params={"user_id": tag, "limit": 2}).json()
    params = {"user_id": tag, "limit": 2, "cursor": first["next_cursor"]}
    second = api.get("/generation-logs", params=params).json()
    assert [item["id"] for page in (first, second) for item in page["items"]] == ids[::-1]
    assert second["next_cursor"] is None


def test_unknown_id_is_404_generation_log_not_found(api: TestClient) -> None:
    response = api.get(f"/generation-logs/{uuid.uuid4()}")
    assert (response.status_code, response.json()) == (404, {"detail": "Generation log not found"})


def test_malformed_id_is_422_naming_the_path_parameter(api: TestClient) -> None:
    response = api.get("/generation-logs/12345")
    assert response.status_code == 422
    assert_validation_error(response.json(), ["path", "log_id"], "uuid_parsing")


BAD_CREATES = {
    "unknown field": ({"gpu": "a100"}, "gpu", "extra_forbidden"),
    "server sets created_at": (
        {"created_at": "2026-01-01T00:00:00Z"},
        "created_at",
        "extra_forbidden",
    ),
    "unknown status": ({"status": "done"}, "status", "literal_error"),
    "uppercase input hash": ({"input_hash": "F" * 64}, "input_hash", "sha256"),
    "65-char prompt hash": ({"prompt_hash": "a" * 65}, "prompt_hash", "sha256"),
    "negative latency": ({"latency_ms": -1}, "latency_ms", "greater_than_equal"),
    "day-long latency": ({"latency_ms": 86_400_001}, "latency_ms", "less_than_equal"),
    "latency as text": ({"latency_ms": "12"}, "latency_ms", "int_type"),
    "long user id": ({"user_id": "u" * 256}, "user_id", "string_too_long"),
    "long error": ({"error": "e" * 2049}, "error", "string_too_long"),
}


@pytest.mark.parametrize(("fields", "field", "kind"), BAD_CREATES.values(), ids=BAD_CREATES)
def test_bad_create_is_422_naming_the_field(
    api: TestClient, tag: str, fields: dict[str, Any], field: str, kind: str
) -> None:
    response = api.post("/generation-logs", json=log_body(tag) | fields)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["body", field], kind)


BAD_QUERIES = {
    "limit 101": ({"limit": 101}, "limit", "less_than_equal"),
    "offset (lists page by cursor)": ({"offset": 5}, "offset", "extra_forbidden"),
    "unknown status": ({"status": "ok"}, "status", "literal_error"),
    "unknown filter": ({"project_id": "p"}, "project_id", "extra_forbidden"),
}


@pytest.mark.parametrize(("params", "name", "kind"), BAD_QUERIES.values(), ids=BAD_QUERIES)
def test_bad_list_query_is_422_naming_the_parameter(
    api: TestClient, params: dict[str, Any], name: str, kind: str
) -> None:
    response = api.get("/generation-logs", params=params)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["query", name], kind)
