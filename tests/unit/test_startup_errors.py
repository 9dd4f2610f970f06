"""What a person sees when they start the server or Alembic with a bad setting."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UVICORN = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"]
ALEMBIC = [sys.executable, "-m", "alembic", "upgrade", "head"]

BAD_SETTINGS = [
    ({}, "error: DATABASE_URL is not set: set it to a postgresql:// URL, or MOCK_MODE=true"),
    (
        {"DATABASE_URL": "mysql://app@db/app"},
        "error: DATABASE_URL must start with postgresql://, got mysql://",
    ),
    (
        {"DATABASE_URL": "postgresql://app@db/app", "MOCK_MODE": "maybe"},
        "error: MOCK_MODE must be one of true/false/1/0/yes/no, got 'maybe'",
    ),
]


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MOCK_MODE")}
    return subprocess.run(
        command, cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("command", [UVICORN, ALEMBIC], ids=["uvicorn", "alembic"])
@pytest.mark.parametrize(
    ("env", "line"), BAD_SETTINGS, ids=["missing", "malformed", "bad-mock-mode"]
)
def test_bad_setting_exits_with_one_line_and_no_traceback(
    command: list[str], env: dict[str, str], line: str
) -> None:
    result = run(command, env)
    assert result.returncode != 0
    assert line in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
