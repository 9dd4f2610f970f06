"""openapi.json, the committed contract frontends generate types from, is what the app serves."""

import json

from fastapi.testclient import TestClient

from tools.openapi import FILE, document


def test_openapi_json_is_the_document_the_app_serves(api: TestClient) -> None:
    committed = json.loads(FILE.read_text())
    assert api.get("/openapi.json").json() == committed, "openapi.json is stale: nox -s openapi"


def test_openapi_json_is_written_as_nox_s_openapi_writes_it() -> None:
    assert FILE.read_text() == document(), "openapi.json is stale: run nox -s openapi"
