"""Mock mode's samples, same ids, into a real PostgreSQL, so both modes list alike: by `nox -s
seed`, and by the live app at start with SEED_SAMPLE_DATA (as the API's role)."""

import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import load_settings
from app.main import create_app
from app.seed import Counts
from app.seed import seed as seed_engine
from tests.db import ROOT, Database, admin
from tools.seed import seed

pytestmark = pytest.mark.integration
HERO_SPRITE = "211ff141-b261-5e35-ab91-be5d0a7413da"  # the first sample asset
SAME_ANSWERS = [
    "/assets?limit=100",
    "/assets?project_id=space-shooter&status=failed",
    "/generation-logs?limit=100",
    "/generation-logs?user_id=user-ada&limit=2",
    f"/assets/{HERO_SPRITE}",
]


@pytest.fixture
def url(migrated_database: Callable[[], Database]) -> str:
    """An empty database, migrated, of this test only: the API's role's URL."""
    return migrated_database().url


def count(url: str, table: str) -> int:
    engine = admin(url)
    with engine.connect() as connection:
        rows = connection.scalar(text(f"SELECT count(*) FROM {table}"))
    engine.dispose()
    return int(rows or 0)


def test_seed_adds_each_sample_once(url: str) -> None:
    assert seed(url) == {"assets": (6, 6), "generation_logs": (6, 6)}
    assert seed(url) == {"assets": (0, 6), "generation_logs": (0, 6)}
    assert (count(url, "assets"), count(url, "generation_logs")) == (6, 6)


def comparable(answer: dict[str, object]) -> dict[str, object]:
    """The answer, with whether there is a next page instead of the cursor: each mode signs its
    cursors with a key of its own."""
    if "next_cursor" in answer:
        return answer | {"next_cursor": answer["next_cursor"] is not None}
    return answer


def test_after_seeding_live_mode_answers_the_lists_exactly_as_mock_mode(
    url: str, mock_client: TestClient
) -> None:
    seed(url)
    with TestClient(create_app(load_settings(mock_mode=False, database_url=url))) as live:
        for path in SAME_ANSWERS:
            live_answer, mock_answer = live.get(path).json(), mock_client.get(path).json()
            assert comparable(live_answer) == comparable(mock_answer), path


def test_seeding_again_keeps_what_users_changed(url: str) -> None:
    seed(url)
    with TestClient(create_app(load_settings(mock_mode=False, database_url=url))) as live:
        live.patch(f"/assets/{HERO_SPRITE}", json={"status": "failed"})
        seed(url)
        assert live.get(f"/assets/{HERO_SPRITE}").json()["status"] == "failed"


def test_the_seed_command_migrates_then_reports_what_it_added(
    fresh_database: Callable[[], str],
) -> None:
    env = os.environ | {"DATABASE_URL": fresh_database(), "MOCK_MODE": "false"}

    def run() -> str:
        command = [sys.executable, "-m", "tools.seed"]
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    source = "(DATABASE_URL (environment or .env))"
    assert run() == f"seed: assets 6 added of 6, generation_logs 6 added of 6 {source}"
    assert run() == f"seed: assets 0 added of 6, generation_logs 0 added of 6 {source}"


def rows(url: str) -> list[tuple[object, ...]]:
    """Every row of both tables, in a fixed order."""
    engine = admin(url)
    with engine.connect() as connection:
        found = [
            tuple(row)
            for table in ("assets", "generation_logs")
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
        ]
    engine.dispose()
    return found


def ids(client: TestClient) -> dict[str, set[str]]:
    return {
        path: {item["id"] for item in client.get(f"{path}?limit=100").json()["items"]}
        for path in ("/assets", "/generation-logs")
    }


def test_a_live_app_started_with_seed_sample_data_lists_the_samples_and_restarts_change_nothing(
    url: str, mock_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(mock_mode=False, database_url=url, seed_sample_data=True)
    with TestClient(create_app(settings)) as live:
        assert ids(live) == ids(mock_client)
        changed = live.patch(f"/assets/{HERO_SPRITE}", json={"status": "failed"})
        assert changed.status_code == 200
    assert "seed: assets 6 added of 6, generation_logs 6 added of 6" in caplog.text
    before = rows(url)
    with TestClient(create_app(settings)) as live:
        assert live.get(f"/assets/{HERO_SPRITE}").json()["status"] == "failed"
    assert "seed: assets 0 added of 6, generation_logs 0 added of 6" in caplog.text
    assert rows(url) == before


def test_without_seed_sample_data_a_live_app_adds_no_rows(url: str) -> None:
    with TestClient(create_app(load_settings(mock_mode=False, database_url=url))) as live:
        assert ids(live) == {"/assets": set(), "/generation-logs": set()}


def test_replicas_seeding_at_once_add_each_sample_once(url: str) -> None:
    def start() -> Counts:
        engine = create_engine(load_settings(mock_mode=False, database_url=url).sqlalchemy_url)
        try:
            return seed_engine(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda _: start(), range(4)))
    for table in ("assets", "generation_logs"):
        assert sum(added for added, _ in (c[table] for c in counts)) == 6
        assert count(url, table) == 6
