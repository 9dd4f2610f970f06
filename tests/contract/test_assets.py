"""/assets: every test runs in mock mode and in live mode, and must pass unchanged in both."""

import uuid
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.shapes import ASSET, PAGE, assert_shape, assert_validation_error, asset_body


def create(api: TestClient, project_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/assets", json=asset_body(project_id) | fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_answers_201_with_the_record_and_server_set_fields(
    api: TestClient, tag: str
) -> None:
    sent = asset_body(tag)
    response = api.post("/assets", json=sent)
    assert response.status_code == 201
    body = response.json()
    assert_shape(body, ASSET)
    assert {key: body[key] for key in sent} == sent
    assert (body["status"], body["exif_stripped"]) == ("uploaded", False)
    assert uuid.UUID(body["id"]).version == 4
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None


def test_metadata_defaults_to_an_empty_object(api: TestClient, tag: str) -> None:
    body = asset_body(tag)
    del body["metadata"]
    assert api.post("/assets", json=body).json()["metadata"] == {}


def test_get_returns_what_create_returned(api: TestClient, tag: str) -> None:
    created = create(api, tag)
    response = api.get(f"/assets/{created['id']}")
    assert (response.status_code, response.json()) == (200, created)


def test_list_filters_by_project_and_status(api: TestClient, tag: str) -> None:
    first, second = create(api, tag), create(api, tag)
    create(api, f"{tag}-other")
    api.patch(f"/assets/{second['id']}", json={"status": "ready"})

    page = api.get("/assets", params={"project_id": tag}).json()
    assert_shape(page, PAGE)
    assert {item["id"] for item in page["items"]} == {first["id"], second["id"]}
    assert page["next_cursor"] is None

    ready = api.get("/assets", params={"project_id": tag, "status": "ready"}).json()
    assert [item["id"] for item in ready["items"]] == [second["id"]]
    assert all(
        item["status"] == "ready" for item in api.get("/assets?status=ready").json()["items"]
    )


def test_list_pages_newest_first_by_cursor(api: TestClient, tag: str) -> None:
    ids = [create(api, tag, path=f"frames/{n}.png")["id"] for n in range(5)]
    pages = [api.get("/assets", params={"project_id": tag, "limit": 2}).json()]
    while pages[-1]["next_cursor"] is not None:
        params = {"project_id": tag, "limit": 2, "cursor": pages[-1]["next_cursor"]}
        pages.append(api.get("/assets", params=params).json())
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    assert [item["id"] for page in pages for item in page["items"]] == ids[::-1]


def test_list_defaults_to_20_items(api: TestClient) -> None:
    page = api.get("/assets").json()
    assert page["limit"] == 20
    assert len(page["items"]) <= 20
    for item in page["items"]:
        assert_shape(item, ASSET)


def test_patch_changes_only_the_fields_sent(api: TestClient, tag: str) -> None:
    created = create(api, tag)
    changes = {"status": "processing", "metadata": {"frames": 8}, "exif_stripped": True}
    response = api.patch(f"/assets/{created['id']}", json=changes)
    assert response.status_code == 200
    assert response.json() == created | changes
    assert api.get(f"/assets/{created['id']}").json() == created | changes


@pytest.mark.parametrize("changes", [{}, {"status": None, "metadata": None}])
def test_patch_without_values_changes_nothing(
    api: TestClient, tag: str, changes: dict[str, Any]
) -> None:
    created = create(api, tag)
    response = api.patch(f"/assets/{created['id']}", json=changes)
    assert (response.status_code, response.json()) == (200, created)


@pytest.mark.parametrize(
    ("method", "body"), [("GET", None), ("PATCH", {"status": "ready"})], ids=["get", "patch"]
)
def test_unknown_id_is_404_asset_not_found(api: TestClient, method: str, body: Any) -> None:
    response = api.request(method, f"/assets/{uuid.uuid4()}", json=body)
    assert (response.status_code, response.json()) == (404, {"detail": "Asset not found"})


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_malformed_id_is_422_naming_the_path_parameter(api: TestClient, method: str) -> None:
    response = api.request(method, "/assets/not-a-uuid", json={})
    assert response.status_code == 422
    assert_validation_error(response.json(), ["path", "asset_id"], "uuid_parsing")


BAD_CREATES = {
    "unknown field": ({"colour": "red"}, "colour", "extra_forbidden"),
    "server sets status": ({"status": "ready"}, "status", "extra_forbidden"),
    "server sets id": ({"id": str(uuid.uuid4())}, "id", "extra_forbidden"),
    "uppercase hash": ({"consent_hash": "A" * 64}, "consent_hash", "sha256"),
    "short hash": ({"consent_hash": "abc"}, "consent_hash", "sha256"),
    "empty project": ({"project_id": ""}, "project_id", "string_too_short"),
    "long path": ({"path": "p" * 1025}, "path", "string_too_long"),
    "NUL in type": ({"type": "im\x00age"}, "type", "string_pattern_mismatch"),
    "number as text": ({"type": 7}, "type", "string_type"),
    "metadata list": ({"metadata": [1, 2]}, "metadata", "dict_type"),
    "big metadata": ({"metadata": {"blob": "x" * 17_000}}, "metadata", "metadata_size"),
    "deep metadata": ({"metadata": {"a": [[[[[[[[1]]]]]]]]}}, "metadata", "metadata_depth"),
}


@pytest.mark.parametrize(("fields", "field", "kind"), BAD_CREATES.values(), ids=BAD_CREATES)
def test_bad_create_is_422_naming_the_field(
    api: TestClient, tag: str, fields: dict[str, Any], field: str, kind: str
) -> None:
    response = api.post("/assets", json=asset_body(tag) | fields)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["body", field], kind)


def test_missing_field_is_422_naming_it(api: TestClient, tag: str) -> None:
    body = asset_body(tag)
    del body["consent_hash"]
    response = api.post("/assets", json=body)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["body", "consent_hash"], "missing")


BAD_PATCHES = {
    "unknown status": ({"status": "archived"}, "status", "literal_error"),
    "text as boolean": ({"exif_stripped": "yes"}, "exif_stripped", "bool_type"),
    "server-set field": ({"path": "elsewhere.png"}, "path", "extra_forbidden"),
}


@pytest.mark.parametrize(("fields", "field", "kind"), BAD_PATCHES.values(), ids=BAD_PATCHES)
def test_bad_patch_is_422_and_changes_nothing(
    api: TestClient, tag: str, fields: dict[str, Any], field: str, kind: str
) -> None:
    created = create(api, tag)
    response = api.patch(f"/assets/{created['id']}", json=fields)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["body", field], kind)
    assert api.get(f"/assets/{created['id']}").json() == created


BAD_QUERIES = {
    "limit 0": ({"limit": 0}, "limit", "greater_than_equal"),
    "limit 101": ({"limit": 101}, "limit", "less_than_equal"),
    "limit text": ({"limit": "all"}, "limit", "int_parsing"),
    "offset (lists page by cursor)": ({"offset": 20}, "offset", "extra_forbidden"),
    "unknown status": ({"status": "archived"}, "status", "literal_error"),
    "unknown filter": ({"owner": "me"}, "owner", "extra_forbidden"),
}


@pytest.mark.parametrize(("params", "name", "kind"), BAD_QUERIES.values(), ids=BAD_QUERIES)
def test_bad_list_query_is_422_naming_the_parameter(
    api: TestClient, params: dict[str, Any], name: str, kind: str
) -> None:
    response = api.get("/assets", params=params)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["query", name], kind)
