"""What only mock mode promises: fixed sample data, writes kept per app, no database at all."""

import uuid

from fastapi.testclient import TestClient

from tests.conftest import ClientFactory
from tests.contract.shapes import ASSET, GENERATION_LOG, assert_shape, asset_body

HERO_SPRITE = uuid.UUID("211ff141-b261-5e35-ab91-be5d0a7413da")


def test_sample_data_is_the_same_in_every_app(
    mock_client: TestClient, make_client: ClientFactory
) -> None:
    other = make_client("mock")
    for path in ("/assets", "/generation-logs"):
        assert mock_client.get(path).json() == other.get(path).json()


def test_sample_data_covers_every_status_with_realistic_records(mock_client: TestClient) -> None:
    assets = mock_client.get("/assets").json()["items"]
    logs = mock_client.get("/generation-logs").json()["items"]
    assert {a["status"] for a in assets} == {"uploaded", "processing", "ready", "failed"}
    assert {log["status"] for log in logs} == {"success", "fail", "cached"}
    for asset in assets:
        assert_shape(asset, ASSET)
    for log in logs:
        assert_shape(log, GENERATION_LOG)
    hero = mock_client.get(f"/assets/{HERO_SPRITE}").json()
    assert (hero["path"], hero["created_at"]) == (
        "projects/demo-platformer/sprites/hero.png",
        "2026-01-15T09:30:00Z",
    )


def test_writes_last_for_the_app_and_stay_in_it(
    mock_client: TestClient, make_client: ClientFactory
) -> None:
    created = mock_client.post("/assets", json=asset_body("kept")).json()
    mock_client.patch(f"/assets/{HERO_SPRITE}", json={"status": "failed"})
    assert mock_client.get(f"/assets/{created['id']}").status_code == 200
    assert mock_client.get("/assets").json()["items"][0] == created
    other = make_client("mock")
    assert other.get(f"/assets/{created['id']}").status_code == 404
    assert other.get(f"/assets/{HERO_SPRITE}").json()["status"] == "ready"


def test_a_database_url_is_ignored_in_mock_mode(
    make_client: ClientFactory, refused_url: str
) -> None:
    client = make_client("mock", refused_url)
    assert client.post("/assets", json=asset_body("offline")).status_code == 201
    assert client.get("/health/ready").json()["services"] == {"database": "mock"}
