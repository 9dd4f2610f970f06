"""Keyset pages by cursor, on both resources, in mock mode and in live mode alike."""

import pytest
from fastapi.testclient import TestClient

from app.cursors import MESSAGE
from tests.contract.shapes import assert_validation_error, asset_body, log_body

LISTS = {
    "/assets": ("project_id", asset_body),
    "/generation-logs": ("user_id", log_body),
}


def created(api: TestClient, path: str, owner: str, count: int) -> list[str]:
    _, body = LISTS[path]
    ids = []
    for _ in range(count):
        response = api.post(path, json=body(owner))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids[::-1]  # newest first


def page(api: TestClient, path: str, owner: str, cursor: str | None = None) -> dict[str, object]:
    field, _ = LISTS[path]
    params: dict[str, str | int] = {field: owner, "limit": 2}
    if cursor is not None:
        params["cursor"] = cursor
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def ids(listed: dict[str, object]) -> list[str]:
    items = listed["items"]
    assert isinstance(items, list)
    return [item["id"] for item in items]


def assert_refused(api: TestClient, path: str, params: dict[str, str]) -> None:
    response = api.get(path, params=params)
    assert response.status_code == 422
    assert_validation_error(response.json(), ["query", "cursor"], "cursor")
    assert response.json()["detail"] == [
        {"type": "cursor", "loc": ["query", "cursor"], "msg": MESSAGE}
    ]


@pytest.mark.parametrize("path", LISTS)
def test_rows_created_after_the_first_page_do_not_shift_the_next(
    api: TestClient, tag: str, path: str
) -> None:
    older = created(api, path, tag, 4)
    first = page(api, path, tag)
    created(api, path, tag, 3)  # newer than every row listed so far
    second = page(api, path, tag, str(first["next_cursor"]))
    assert ids(first) + ids(second) == older
    assert second["next_cursor"] is None


@pytest.mark.parametrize("path", LISTS)
def test_a_malformed_or_edited_cursor_is_422_with_one_message(
    api: TestClient, tag: str, path: str
) -> None:
    created(api, path, tag, 3)
    cursor = str(page(api, path, tag)["next_cursor"])
    field, _ = LISTS[path]
    edited = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
    for bad in ("", "not-a-cursor", "é" * 50, cursor + "A", cursor[:-1], edited):
        assert_refused(api, path, {field: tag, "cursor": bad})


def test_a_cursor_from_another_list_or_other_filters_is_422(api: TestClient, tag: str) -> None:
    created(api, "/assets", tag, 3)
    cursor = str(page(api, "/assets", tag)["next_cursor"])
    assert_refused(api, "/assets", {"project_id": f"{tag}-other", "cursor": cursor})
    assert_refused(api, "/assets", {"project_id": tag, "status": "ready", "cursor": cursor})
    assert_refused(api, "/assets", {"cursor": cursor})
    assert_refused(api, "/generation-logs", {"user_id": tag, "cursor": cursor})
