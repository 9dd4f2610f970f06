"""The resource graph of each stack, from `Pulumi.<stack>.yaml`'s values, under Pulumi's mocks."""

import secrets
from pathlib import Path
from urllib.parse import quote

import pulumi
import pytest

from app.config import DEV_ORIGINS
from infra.backend import content_tag, context_digest
from infra.config import REPO, StackConfigError
from infra.containers import go_duration
from infra.roles import api_password
from infra.spec import LIVE_PROBE
from infra.spec_types import ImageBuild
from tests.infra.conftest import (
    CONTAINER,
    NETWORK,
    OFFLINE_IMAGES,
    REMOTE_IMAGE,
    VOLUME,
    StackRun,
    image_id,
    run_stack,
)
from tests.stack_files import stack_file

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
    assert mock.types() == sorted([STACK, BACKEND, REMOTE_IMAGE, CONTAINER])


def test_live_stack_adds_network_volume_and_postgres(live: StackRun) -> None:
    database = [POSTGRES, NETWORK, VOLUME, REMOTE_IMAGE, CONTAINER]
    migrations = CONTAINER
    assert live.types() == sorted([STACK, BACKEND, REMOTE_IMAGE, CONTAINER, migrations, *database])


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
    image = run.one(REMOTE_IMAGE, "backend-image")
    values = stack_file(stack)
    assert image.plain("name").startswith(values["backendImage"] + "-")
    build = image.plain("build")
    assert (Path(build["context"]) / "Dockerfile").is_file()
    assert Path(build["context"]).is_absolute()  # the provider's working folder is not ours
    assert build["buildArgs"] == {"PYTHON_IMAGE": "python:3.11-slim"}
    assert not image.plain("keepLocally")  # `destroy` removes the stack's own image
    backend = run.one(CONTAINER, "backend-container")
    assert backend.plain("image") == image_id(image.plain("name"))  # the mock's image_id
    assert backend.delete_before_replace


def test_the_backend_image_is_rebuilt_when_the_build_context_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Dockerfile", ".dockerignore", "app/main.py", "tests/test_x.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / ".dockerignore").write_text("# the context\n*\n!app/\n**/__pycache__\n")
    build = ImageBuild("t", tmp_path, {})
    before = context_digest(build)
    (tmp_path / "tests/test_x.py").write_text("changed")  # left out by .dockerignore
    (tmp_path / "app/__pycache__").mkdir()
    (tmp_path / "app/__pycache__/main.pyc").write_text("cache")
    assert context_digest(build) == before
    for name in ("app/main.py", "Dockerfile", ".dockerignore"):
        (tmp_path / name).write_text((tmp_path / name).read_text() + "\n# changed")
        assert context_digest(build) != before, name
        before = context_digest(build)


def test_live_backend_connects_as_the_apis_role_with_no_owner_password(
    live: StackRun, password: str
) -> None:
    backend = live.one(CONTAINER, "backend-container")
    assert backend.secret("envs")
    variables = env(live, "backend-container")
    assert variables["MOCK_MODE"] == "false"
    assert variables["DATABASE_URL"] == live.outputs["database_url"]
    app_user, app_password = LIVE["dbUser"] + "_app", api_password(password)
    assert variables["DATABASE_URL"] == (
        f"postgresql://{app_user}:{app_password}@ossgameforge-live-postgres:5432/{LIVE['dbName']}"
    )
    assert "MIGRATION_DATABASE_URL" not in variables
    escaped = quote(password, safe="")
    assert not [value for value in variables.values() if password in value or escaped in value]
    assert "alembic" not in " ".join(backend.plain("command"))


def test_migrations_run_once_as_the_owner_before_the_backend(live: StackRun, password: str) -> None:
    migrations = live.one(CONTAINER, "backend-migrations")
    assert migrations.secret("envs")
    variables = env(live, "backend-migrations")
    owner = f"postgresql://{LIVE['dbUser']}:{quote(password, safe='')}@"
    assert variables["MIGRATION_DATABASE_URL"].startswith(owner)
    assert variables["DATABASE_URL"] == env(live, "backend-container")["DATABASE_URL"]
    assert migrations.plain("command") == ["python", "-m", "app.migrate"]
    assert migrations.plain("image") == live.one(CONTAINER, "backend-container").plain("image")
    # `up` waits for it to exit, and keeps its exit code and output.
    assert (migrations.plain("attach"), migrations.plain("mustRun"), migrations.plain("logs")) == (
        True, False, True
    )  # fmt: skip
    assert not migrations.plain("healthcheck")
    postgres, backend = (
        live.one(CONTAINER, "postgres-container"),
        live.one(CONTAINER, "backend-container"),
    )
    assert postgres.urn in migrations.dependencies
    assert migrations.urn in backend.dependencies
    # The backend is made only once they exited 0 (the label holds their container's ID).
    assert backend.plain("labels") == [
        {"label": "org.ossgameforge.after", "value": "backend-migrations-id"}
    ]


def test_the_apis_password_is_derived_stable_and_not_the_owners() -> None:
    assert api_password("secret") == api_password("secret")
    assert api_password("secret") != api_password("secret2")
    assert "secret" not in api_password("secret")
    assert len(api_password("x")) == 43


def test_mock_backend_has_mock_mode_and_no_database(mock: StackRun) -> None:
    backend = mock.one(CONTAINER, "backend-container")
    assert env(mock, "backend-container") == {
        "MOCK_MODE": "true",
        "CORS_ORIGINS": DEV,
        "LOG_FORMAT": "text",
    }
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
    build_args = live.one(REMOTE_IMAGE, "backend-image").plain("build")["buildArgs"]
    assert build_args == {"PYTHON_IMAGE": OFFLINE_IMAGES["PYTHON_IMAGE"]}
    postgres = live.one(REMOTE_IMAGE, "postgres-image")
    assert postgres.plain("name") == OFFLINE_IMAGES["POSTGRES_IMAGE"]
    assert postgres.plain("keepLocally") is True  # shared with other stacks and tools


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
    assert "@127.0.0.1:15432/" in run.outputs["database_url"]  # this machine's URL, then


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
    live: StackRun, mock: StackRun, password: str
) -> None:
    api = f"http://127.0.0.1:{MOCK['apiPort']}"
    assert mock.outputs == {
        "api_url": api,
        "docs_url": f"{api}/docs",
        "openapi_url": f"{api}/openapi.json",
        "health_url": f"{api}/health",
    }
    assert live.outputs["openapi_url"] == f"http://127.0.0.1:{LIVE['apiPort']}/openapi.json"
    assert live.secret_outputs == {"database_url"}
    # Not published: the URL on the stack's network (for containers on it).
    assert "@ossgameforge-live-postgres:5432/" in live.outputs["database_url"]


def test_live_without_db_password_fails_naming_the_key() -> None:
    with pytest.raises(pulumi.ConfigMissingError, match="ossgameforge:dbPassword"):
        run_stack("live", password=None)


@pytest.mark.parametrize(
    ("seconds", "spelled"), [(2, "2s"), (59, "59s"), (60, "1m0s"), (90, "1m30s")]
)
def test_durations_are_spelled_as_docker_reports_them(seconds: int, spelled: str) -> None:
    assert go_duration(seconds) == spelled


@pytest.mark.parametrize(
    ("image", "tagged"),
    [
        ("ossgameforge/backend:live", "ossgameforge/backend:live-0123456789ab"),
        ("backend", "backend:0123456789ab"),
        ("registry.local:5000/backend", "registry.local:5000/backend:0123456789ab"),
        ("registry.local:5000/backend:dev", "registry.local:5000/backend:dev-0123456789ab"),
    ],
)
def test_the_backend_image_is_tagged_by_its_build_context(image: str, tagged: str) -> None:
    assert content_tag(image, "0123456789abcdef") == tagged


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_reload_serves_the_checkouts_code_read_only_with_uvicorn_reload(
    stack: str, password: str
) -> None:
    plain = run_stack(stack, password=password).one(CONTAINER, "backend-container")
    assert "--reload" not in plain.plain("command")
    assert not plain.plain("volumes")
    backend = run_stack(stack, password=password, extra={"reload": "true"}).one(
        CONTAINER, "backend-container"
    )
    assert backend.plain("command")[-3:] == ["--reload", "--reload-dir", "/srv/app"]
    assert backend.plain("volumes") == [
        {"hostPath": str(REPO / "app"), "containerPath": "/srv/app", "readOnly": True},
        {"hostPath": str(REPO / "alembic"), "containerPath": "/srv/alembic", "readOnly": True},
    ]
    assert backend.plain("user") == "10001:10001"  # the image and its user stay


@pytest.mark.parametrize("container", ["backend-container", "backend-migrations"])
def test_live_seeds_the_sample_rows_unless_told_not_to(password: str, container: str) -> None:
    assert env(run_stack("live", password=password), container)["SEED_SAMPLE_DATA"] == "true"
    off = run_stack("live", password=password, extra={"seed": "false"})
    assert env(off, container)["SEED_SAMPLE_DATA"] == "false"


def test_source_dir_is_built_from_and_mounted(tmp_path: Path, password: str) -> None:
    for needed in ("app", "alembic"):
        (tmp_path / needed).mkdir()
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    run = run_stack("mock", password=None, extra={"sourceDir": str(tmp_path), "reload": "true"})
    assert run.one(REMOTE_IMAGE).plain("build")["context"] == str(tmp_path)
    volumes = run.one(CONTAINER).plain("volumes")
    assert [volume["hostPath"] for volume in volumes] == [
        str(tmp_path / "app"),
        str(tmp_path / "alembic"),
    ]


@pytest.mark.parametrize("target", ["docker", "kubernetes"])
def test_a_db_password_in_plain_text_is_refused(target: str) -> None:
    with pytest.raises(StackConfigError) as error:
        run_stack(
            "live",
            password=secrets.token_hex(8),
            extra={"target": target},
            environ=OFFLINE_IMAGES,
            plain_text=True,
        )
    assert str(error.value) == (
        "ossgameforge:dbPassword holds a password, and the stack file has it in plain text: set"
        " it again with `pulumi config set --secret dbPassword`"
    )
