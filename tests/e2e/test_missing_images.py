"""A database test run whose images can't be had stops at once with one line naming the setting
to change, not with a Docker client traceback per test."""

import os
import subprocess
import sys

import pytest

from tests.db import ROOT


def database_tests(**env: str) -> list[str]:
    """The last lines of a run of database tests on testcontainers, with `env` set."""
    environ = {k: v for k, v in os.environ.items() if k != "TESTCONTAINERS_RYUK_DISABLED"}
    tests = "tests/integration/test_health.py"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", tests]
    done = subprocess.run(
        command, cwd=ROOT, env={**environ, "TEST_DB": "docker", **env},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout[-2000:]
    return done.stdout.strip().splitlines()[-3:]


def test_a_postgres_image_that_cannot_be_had_is_named_once() -> None:
    (last,) = [
        line for line in database_tests(POSTGRES_IMAGE="nowhere/postgres:0") if "Exit:" in line
    ]
    assert "POSTGRES_IMAGE=nowhere/postgres:0 cannot be had" in last
    assert "nox -s images" in last


def test_ryuk_on_without_its_image_names_the_setting(image: str) -> None:
    lines = database_tests(POSTGRES_IMAGE=image, RYUK_CONTAINER_IMAGE="nowhere/ryuk:0")
    (last,) = [line for line in lines if "Exit:" in line]
    assert (
        "Ryuk's image nowhere/ryuk:0 cannot be had: set TESTCONTAINERS_RYUK_DISABLED=true" in last
    )
