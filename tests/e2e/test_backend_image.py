"""The backend image built from `Dockerfile` holds exactly uv.lock's versions, no uv, and fits in
200 MB (tests/stack proves that it serves); its `python -m app.migrate` migrates a
Postgres container as the owner and sets the API's role up."""

import json
import os
import secrets
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Containers, connect, query
from tools.docker import docker

ROOT = Path(__file__).resolve().parents[2]
LOCKED = {p["name"]: p["version"] for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"]}
PROBE = """
import importlib.metadata, importlib.util, json, shutil
print(json.dumps({
    "installed": {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()},
    "uv": [shutil.which("uv"), str(importlib.util.find_spec("uv"))],
}))
"""


def normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@pytest.fixture(scope="module")
def backend_image() -> Iterator[str]:
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        pytest.skip("no Docker engine answers (start one: bash .ci/docker-engine.sh)")
    tag = f"ossgameforge/backend:e2e-{secrets.token_hex(4)}"
    base = os.environ.get("PYTHON_IMAGE")
    options = [f"--build-arg=PYTHON_IMAGE={base}"] if base else []
    build = subprocess.run(
        ["docker", "build", "--quiet", "--force-rm", *options, f"--tag={tag}", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    yield tag
    subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True)


@pytest.fixture(scope="module")
def contents(backend_image: str) -> dict[str, object]:
    run = ["docker", "run", "--rm", "--entrypoint=python", backend_image, "-c", PROBE]
    probe = subprocess.run(run, capture_output=True, check=True)
    found: dict[str, object] = json.loads(probe.stdout)
    return found


def test_every_installed_package_is_at_its_locked_version(contents: dict[str, object]) -> None:
    installed = contents["installed"]
    assert isinstance(installed, dict)
    venv = {normalized(name): version for name, version in installed.items()}
    assert {name: v for name, v in venv.items() if LOCKED.get(name) != v} == {}
    assert {"fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg2-binary"} <= venv.keys()


def test_holds_no_uv(contents: dict[str, object]) -> None:
    assert contents["uv"] == [None, "None"]


def test_is_at_most_200_mb(backend_image: str) -> None:
    inspect = ["docker", "image", "inspect", "--format={{.Size}}", backend_image]
    size = int(subprocess.run(inspect, capture_output=True, text=True, check=True).stdout)
    assert size <= 200_000_000, f"{size / 1e6:.0f} MB"


def test_the_migration_command_runs_in_the_image_and_sets_the_api_role_up(
    backend_image: str, containers: Containers
) -> None:
    owner, owner_password, api_password = (
        "ossgameforge",
        secrets.token_hex(16),
        secrets.token_hex(16),
    )
    env = {"POSTGRES_USER": owner, "POSTGRES_PASSWORD": owner_password, "POSTGRES_DB": owner}
    postgres = containers.run(env=env)
    connect(postgres, owner, owner_password, owner).close()  # ready
    port = docker("port", postgres, "5432/tcp").splitlines()[0].rsplit(":", 1)[1]
    server = f"127.0.0.1:{port}/{owner}"
    urls = {
        "MIGRATION_DATABASE_URL": f"postgresql://{owner}:{owner_password}@{server}",
        "DATABASE_URL": f"postgresql://ossgameforge_app:{api_password}@{server}",
    }
    # The URLs reach the container through the environment, not the command line.
    command = [
        "run",
        "--rm",
        "--network=host",
        "--env=DATABASE_URL",
        "--env=MIGRATION_DATABASE_URL",
    ]
    run = subprocess.run(
        ["docker", *command, backend_image, "python", "-m", "app.migrate"],
        env=os.environ | urls,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "the API's role ossgameforge_app created: a member of ossgameforge_api" in run.stderr
    assert owner_password not in run.stderr + run.stdout
    assert api_password not in run.stderr + run.stdout
    api = connect(postgres, "ossgameforge_app", api_password, owner)
    assert query(api, "SELECT current_user, (SELECT count(*) FROM assets)") == [
        ("ossgameforge_app", 0)
    ]
