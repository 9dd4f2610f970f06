"""`nox -s seed` on a real PostgreSQL: mock mode's samples, same ids, so both modes list alike."""

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import load_settings
from app.main import create_app
from tests.db import ROOT, admin, migrate
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
def url(fresh_database: Callable[[], str]) -> str:
    """An empty database, migrated, of this test only."""
    return migrate(fresh_database())


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
