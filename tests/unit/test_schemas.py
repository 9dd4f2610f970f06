"""The validation errors a person sees, and what the OpenAPI document tells them up front."""

import hashlib
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from app.models.core_models import ASSET_STATUSES, GENERATION_STATUSES
from app.schemas.assets import AssetStatus
from app.schemas.generation_logs import GenerationStatus

ASSET = {
    "project_id": "demo",
    "path": "sprites/hero.png",
    "type": "image",
    "consent_hash": hashlib.sha256(b"consent").hexdigest(),
}


def errors(response: Any) -> list[tuple[list[str | int], str]]:
    assert response.status_code == 422
    return [(error["loc"], error["msg"]) for error in response.json()["detail"]]


HERO = "/assets/211ff141-b261-5e35-ab91-be5d0a7413da"
MISTAKES = {
    "unknown field": (
        ("POST", "/assets", ASSET | {"colour": "red"}),
        (["body", "colour"], "Extra inputs are not permitted"),
    ),
    "bad hash": (
        ("POST", "/assets", ASSET | {"consent_hash": "D41D8CD98F00B204E9800998ECF8427E"}),
        (["body", "consent_hash"], "must be a SHA-256 digest: 64 lowercase hex characters"),
    ),
    "bad status": (
        ("PATCH", HERO, {"status": "done"}),
        (["body", "status"], "Input should be 'uploaded', 'processing', 'ready' or 'failed'"),
    ),
    "bad status filter": (
        ("GET", "/generation-logs?status=ok", None),
        (["query", "status"], "Input should be 'success', 'fail' or 'cached'"),
    ),
    "limit too large": (
        ("GET", "/assets?limit=500", None),
        (["query", "limit"], "Input should be less than or equal to 100"),
    ),
    "bad uuid": (
        ("GET", "/assets/42", None),
        (["path", "asset_id"], "Input should be a valid UUID, invalid length: found 2"),
    ),
    "metadata too big": (
        ("POST", "/assets", ASSET | {"metadata": {"notes": "x" * 20_000}}),
        (["body", "metadata"], "must be at most 16384 bytes as JSON"),
    ),
}


@pytest.mark.parametrize(("request_", "expected"), MISTAKES.values(), ids=MISTAKES)
def test_a_mistake_gets_one_error_naming_the_field_and_the_fix(
    mock_client: TestClient, request_: tuple[str, str, Any], expected: tuple[list[str], str]
) -> None:
    method, url, body = request_
    assert errors(mock_client.request(method, url, json=body)) == [expected]


def test_every_missing_field_is_listed_at_once(mock_client: TestClient) -> None:
    listed = errors(mock_client.post("/generation-logs", json={"status": "success"}))
    missing = ["user_id", "input_hash", "prompt_hash", "model_version"]
    assert listed == [(["body", name], "Field required") for name in missing]


def test_errors_never_echo_the_input_back(mock_client: TestClient) -> None:
    marker = "not-hex-" * 8
    response = mock_client.post("/assets", json=ASSET | {"consent_hash": marker})
    assert marker not in response.text


def test_statuses_match_the_models(mock_client: TestClient) -> None:
    assert get_args(AssetStatus) == ASSET_STATUSES
    assert get_args(GenerationStatus) == GENERATION_STATUSES


def test_openapi_documents_statuses_examples_and_error_answers(mock_client: TestClient) -> None:
    document = mock_client.get("/openapi.json").json()
    schemas, paths = document["components"]["schemas"], document["paths"]
    assert schemas["AssetRead"]["properties"]["status"]["enum"] == list(ASSET_STATUSES)
    assert "`uploaded`" in schemas["AssetRead"]["properties"]["status"]["description"]
    for name in ("AssetCreate", "AssetUpdate", "AssetRead", "GenerationLogCreate"):
        assert schemas[name]["examples"], name
    assert schemas["AssetCreate"]["additionalProperties"] is False
    assert set(paths["/assets/{asset_id}"]["patch"]["responses"]) == {
        "200", "400", "404", "413", "422", "503"
    }  # fmt: skip
    assert set(paths["/generation-logs"]["get"]["responses"]) == {"200", "422", "503"}
