"""What only mock mode promises: fixed sample data, writes kept per app, no database at all."""

import threading
import time
import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from app.config import load_settings
from app.main import create_app
from app.schemas.assets import AssetRead
from app.services.mock_data import MockStore
from tests.contract.shapes import ASSET, GENERATION_LOG, assert_shape, asset_body

HERO_SPRITE = uuid.UUID("211ff141-b261-5e35-ab91-be5d0a7413da")


def mock_app() -> TestClient:
    return TestClient(create_app(load_settings(mock_mode=True, database_url=None)))


def test_sample_data_is_the_same_in_every_app(mock_client: TestClient) -> None:
    with mock_app() as other:
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


def test_writes_last_for_the_app_and_stay_in_it(mock_client: TestClient) -> None:
    created = mock_client.post("/assets", json=asset_body("kept")).json()
    mock_client.patch(f"/assets/{HERO_SPRITE}", json={"status": "failed"})
    assert mock_client.get(f"/assets/{created['id']}").status_code == 200
    assert mock_client.get("/assets").json()["items"][0] == created
    with mock_app() as other:
        assert other.get(f"/assets/{created['id']}").status_code == 404
        assert other.get(f"/assets/{HERO_SPRITE}").json()["status"] == "ready"


def test_concurrent_changes_to_one_asset_are_applied_one_after_the_other() -> None:
    table = MockStore().assets

    def slowly(**changes: object) -> Callable[[AssetRead], AssetRead]:
        def edit(asset: AssetRead) -> AssetRead:
            time.sleep(0.05)  # without the lock, the other thread reads the old row meanwhile
            return asset.model_copy(update=changes)

        return edit

    edits = [slowly(status="failed"), slowly(exif_stripped=False), slowly(metadata={"v": 2})]
    threads = [threading.Thread(target=table.change, args=(HERO_SPRITE, e)) for e in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    hero = table.get(HERO_SPRITE)
    assert hero is not None
    assert (hero.status, hero.exif_stripped, hero.metadata) == ("failed", False, {"v": 2})


def test_a_database_url_is_ignored_in_mock_mode(refused_url: str) -> None:
    settings = load_settings(mock_mode=True, database_url=refused_url)
    with TestClient(create_app(settings)) as client:
        assert client.post("/assets", json=asset_body("offline")).status_code == 201
        assert client.get("/health/ready").json()["services"] == {"database": "mock"}
