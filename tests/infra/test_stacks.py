"""The resource graph of each stack, from `Pulumi.<stack>.yaml`'s values, under Pulumi's mocks."""

from pathlib import Path

import pulumi
import pytest

from app.config import DEV_ORIGINS
from infra.config import stack_file
from infra.spec import LIVE_PROBE
from tests.infra.conftest import (
    CONTAINER,
    IMAGE,
    NETWORK,
    OFFLINE_IMAGES,
    REMOTE_IMAGE,
    VOLUME,
    StackRun,
    image_id,
    run_stack,
)

BACKEND = "ossgameforge:infra:Backend"
POSTGRES = "ossgameforge:infra:Postgres"
STACK = "pulumi:pulumi:Stack"
LIVE = stack_file("live")
MOCK = stack_file("mock")
DEV = ",".join(DEV_ORIGINS)


def env(run: StackRun, name: str) -> dict[str, str]:
    envs = run.one(CONTAINER, name).plain("envs")
    return dict(item.split("=", 1) for item in envs)


def test_mock_stack_has_only_the_backend_image_and_container(mock: StackRun) -> None:
    assert mock.types() == sorted([STACK, BACKEND, IMAGE, CONTAINER])


def test_live_stack_adds_network_volume_and_postgres(live: StackRun) -> None:
    assert live.types() == sorted(
        [STACK, BACKEND, IMAGE, CONTAINER, POSTGRES, NETWORK, VOLUME, REMOTE_IMAGE, CONTAINER]
    )


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_every_docker_resource_is_a_child_of_its_component(stack: str, password: str) -> None:
    run = run_stack(stack, password=password)
    components = {r.urn: r.name for r in run.registrations if r.type.startswith("ossgameforge:")}
    for resource in run.registrations:
        if resource.type.startswith("docker:"):
            assert components.get(resource.parent) == resource.name.split("-")[0], resource.name


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_backend_runs_the_image_built_from_the_dockerfile_by_its_id(
    stack: str, password: str
) -> None:
    run = run_stack(stack, password=password)
    image = run.one(IMAGE)
    values = stack_file(stack)
    assert image.plain("imageName") == values["backendImage"]
    assert image.plain("skipPush") is True
    assert (Path(image.plain("build")["context"]).resolve() / "Dockerfile").is_file()
    assert image.plain("build")["args"] == {"PYTHON_IMAGE": "python:3.11-slim"}
    backend = run.one(CONTAINER, "backend-container")
    assert backend.plain("image") == image_id(values["backendImage"])  # the mock's repo_digest
    assert backend.delete_before_replace


def test_live_backend_gets_database_url_as_a_secret_and_migrates_first(
    live: StackRun, password: str
) -> None:
    backend = live.one(CONTAINER, "backend-container")
    assert backend.secret("envs")
    variables = env(live, "backend-container")
    assert variables["MOCK_MODE"] == "false"
    assert variables["DATABASE_URL"] == live.outputs["database_url"]
    assert variables["DATABASE_URL"].startswith(f"postgresql://{LIVE['dbUser']}:")
    assert variables["DATABASE_URL"].endswith(f"@ossgameforge-live-postgres:5432/{LIVE['dbName']}")
    assert password not in variables["DATABASE_URL"]  # URL-escaped: it holds '@', '/' and ':'
    assert backend.plain("command")[:3] == ["sh", "-c", 'alembic upgrade head && exec "$@"']


def test_mock_backend_has_mock_mode_and_no_database(mock: StackRun) -> None:
    backend = mock.one(CONTAINER, "backend-container")
    assert env(mock, "backend-container") == {"MOCK_MODE": "true", "CORS_ORIGINS": DEV}
    assert not backend.secret("envs")
    assert "alembic" not in " ".join(backend.plain("command"))
    assert not backend.plain("networksAdvanced")


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_backend_allows_the_dev_servers_origins_unless_cors_origins_says_otherwise(
    stack: str, password: str
) -> None:
    assert env(run_stack(stack, password=password), "backend-container")["CORS_ORIGINS"] == DEV
    mine = {"corsOrigins": "https://game.example,http://localhost:8080"}
    run = run_stack(stack, password=password, extra=mine)
    assert env(run, "backend-container")["CORS_ORIGINS"] == mine["corsOrigins"]


def test_postgres_password_is_a_secret(live: StackRun, password: str) -> None:
    postgres = live.one(CONTAINER, "postgres-container")
    assert postgres.secret("envs")
    assert env(live, "postgres-container") == {
        "POSTGRES_USER": LIVE["dbUser"],
        "POSTGRES_DB": LIVE["dbName"],
        "POSTGRES_PASSWORD": password,
    }
    assert postgres.plain("image") == image_id(OFFLINE_IMAGES["POSTGRES_IMAGE"])


def test_image_settings_name_the_base_and_postgres_images(live: StackRun) -> None:
    build_args = live.one(IMAGE).plain("build")["args"]
    assert build_args == {"PYTHON_IMAGE": OFFLINE_IMAGES["PYTHON_IMAGE"]}
    assert live.one(REMOTE_IMAGE).plain("name") == OFFLINE_IMAGES["POSTGRES_IMAGE"]
    assert live.one(REMOTE_IMAGE).plain("keepLocally") is True


def test_ports_are_published_on_loopback_only(live: StackRun, mock: StackRun) -> None:
    def published(run: StackRun, name: str) -> list[tuple[str, int, int]]:
        ports = run.one(CONTAINER, name).plain("ports") or []
        return [(p["ip"], int(p["external"]), int(p["internal"])) for p in ports]

    assert published(live, "backend-container") == [("127.0.0.1", int(LIVE["apiPort"]), 8000)]
    assert published(mock, "backend-container") == [("127.0.0.1", int(MOCK["apiPort"]), 8000)]
    assert published(live, "postgres-container") == []
    assert LIVE["apiPort"] != MOCK["apiPort"]  # both stacks can run side by side


def test_postgres_port_when_configured_is_on_loopback(password: str) -> None:
    run = run_stack("live", password=password, extra={"postgresPort": "15432"})
    ports = run.one(CONTAINER, "postgres-container").plain("ports")
    assert [(p["ip"], int(p["external"]), int(p["internal"])) for p in ports] == [
        ("127.0.0.1", 15432, 5432)
    ]


def test_containers_have_healthchecks_that_pulumi_waits_for(live: StackRun) -> None:
    postgres = live.one(CONTAINER, "postgres-container")
    user, db = LIVE["dbUser"], LIVE["dbName"]
    assert postgres.plain("healthcheck")["tests"] == [
        "CMD", "pg_isready", "-h", "127.0.0.1", "-U", user, "-d", db
    ]  # fmt: skip
    backend = live.one(CONTAINER, "backend-container")
    assert backend.plain("healthcheck")["tests"] == list(LIVE_PROBE)
    assert "/health/live" in LIVE_PROBE[-1]
    assert postgres.plain("wait") is True
    assert backend.plain("wait") is True


def test_postgres_data_is_on_a_named_volume_that_outlives_the_stack(live: StackRun) -> None:
    volume = live.one(VOLUME)
    assert volume.retain_on_delete
    mounts = live.one(CONTAINER, "postgres-container").plain("volumes")
    assert mounts == [
        {"volumeName": volume.plain("name"), "containerPath": "/var/lib/postgresql/data"}
    ]


def test_backend_starts_after_postgres_on_the_same_network(live: StackRun) -> None:
    postgres = live.one(CONTAINER, "postgres-container")
    backend = live.one(CONTAINER, "backend-container")
    network, volume = live.one(NETWORK), live.one(VOLUME)
    assert postgres.urn in backend.dependencies
    assert {network.urn, volume.urn} <= postgres.dependencies
    attached = {network.plain("name")}
    assert {n["name"] for n in postgres.plain("networksAdvanced")} == attached
    assert {n["name"] for n in backend.plain("networksAdvanced")} == attached
    assert postgres.delete_before_replace
    assert network.delete_before_replace


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_backend_runs_as_a_non_root_user(stack: str, password: str) -> None:
    backend = run_stack(stack, password=password).one(CONTAINER, "backend-container")
    assert backend.plain("user").split(":")[0] not in ("", "0", "root")


def test_exports_urls_and_on_live_the_database_url_as_a_secret(
    live: StackRun, mock: StackRun
) -> None:
    assert mock.outputs == {
        "api_url": f"http://127.0.0.1:{MOCK['apiPort']}",
        "health_url": f"http://127.0.0.1:{MOCK['apiPort']}/health",
    }
    assert live.outputs["health_url"] == f"http://127.0.0.1:{LIVE['apiPort']}/health"
    assert live.secret_outputs == {"database_url"}


def test_live_without_db_password_fails_naming_the_key() -> None:
    with pytest.raises(pulumi.ConfigMissingError, match="ossgameforge:dbPassword"):
        run_stack("live", password=None)
