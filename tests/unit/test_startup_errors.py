"""What a person sees when they start the server, Alembic or the migration command with a bad
setting."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import MigrationSettings

ROOT = Path(__file__).resolve().parents[2]
UVICORN = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"]
ALEMBIC = [sys.executable, "-m", "alembic", "upgrade", "head"]
MIGRATE = [sys.executable, "-m", "app.migrate"]
COMMANDS = {"uvicorn": UVICORN, "alembic": ALEMBIC, "migrate": MIGRATE}
MIGRATIONS = {"alembic": ALEMBIC, "migrate": MIGRATE}

BAD_SETTINGS = [
    (
        {"DATABASE_URL": "mysql://app@db/app"},
        "error: DATABASE_URL must start with postgresql://, got mysql://",
    ),
    (
        {"DATABASE_URL": "postgresql://app@db/app", "MOCK_MODE": "maybe"},
        "error: MOCK_MODE must be one of true/false/1/0/yes/no, got 'maybe'",
    ),
    (
        {"DATABASE_URL": "postgresql://app@db/app", "LOG_FORMAT": "xml"},
        "error: LOG_FORMAT must be text or json, got 'xml'",
    ),
    (
        {"DATABASE_URL": "postgresql://app@db/app", "SEED_SAMPLE_DATA": "sure"},
        "error: SEED_SAMPLE_DATA must be one of true/false/1/0/yes/no, got 'sure'",
    ),
]
SETTINGS = {name.upper() for name in MigrationSettings.model_fields}  # left unset


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(
        command, cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60, check=False
    )


def assert_one_line(result: subprocess.CompletedProcess[str], line: str) -> None:
    assert result.returncode != 0
    assert line in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize(
    ("env", "line"), BAD_SETTINGS, ids=["malformed", "bad-mock-mode", "bad-log-format", "bad-seed"]
)
def test_bad_setting_exits_with_one_line_and_no_traceback(
    command: list[str], env: dict[str, str], line: str
) -> None:
    assert_one_line(run(command, env), line)


def test_the_server_without_database_url_says_what_to_set() -> None:
    line = "error: DATABASE_URL is not set: set it to a postgresql:// URL, or MOCK_MODE=true"
    assert_one_line(run(UVICORN, {}), line)


@pytest.mark.parametrize("command", MIGRATIONS.values(), ids=MIGRATIONS.keys())
def test_migrations_without_a_database_url_say_which_to_set(command: list[str]) -> None:
    line = (
        "error: DATABASE_URL is not set: migrations need a postgresql:// URL"
        " (MIGRATION_DATABASE_URL, else DATABASE_URL)"
    )
    assert_one_line(run(command, {}), line)


@pytest.mark.parametrize("command", MIGRATIONS.values(), ids=MIGRATIONS.keys())
def test_migrations_name_a_malformed_migration_database_url(command: list[str]) -> None:
    env = {"DATABASE_URL": "postgresql://app@db/app", "MIGRATION_DATABASE_URL": "mysql://o@db/app"}
    line = "error: MIGRATION_DATABASE_URL must start with postgresql://, got mysql://"
    assert_one_line(run(command, env), line)


@pytest.mark.parametrize("command", MIGRATIONS.values(), ids=MIGRATIONS.keys())
def test_migrations_refuse_an_api_url_without_a_user_beside_the_owners(command: list[str]) -> None:
    env = {"DATABASE_URL": "postgresql://db/app", "MIGRATION_DATABASE_URL": "postgresql://o@db/app"}
    line = (
        "error: DATABASE_URL names no user: with MIGRATION_DATABASE_URL set, it names the API's"
        " role (postgresql://ossgameforge_app:password@host:5432/dbname)"
    )
    assert_one_line(run(command, env), line)
