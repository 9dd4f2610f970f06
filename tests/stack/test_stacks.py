"""Both stacks on the engine: side by side, converged, on loopback, secrets encrypted, data kept."""

import json
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from infra.roles import api_password
from tests.stack.conftest import EngineStack, StackFactory, record
from tools.docker import docker, logs, published_ips

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value in a state


@pytest.fixture(scope="module")
def live(make_stack: StackFactory) -> EngineStack:
    stack = make_stack("live")
    started = time.monotonic()
    stack.up()
    _wait_for_health(stack, "ok")
    record("live: up until /health ok", time.monotonic() - started)
    return stack


@pytest.fixture(scope="module")
def mock(make_stack: StackFactory) -> EngineStack:
    stack = make_stack("mock", logFormat="json")
    started = time.monotonic()
    stack.up()
    _wait_for_health(stack, "mock")
    record("mock: up until /health mock", time.monotonic() - started)
    return stack


def _wait_for_health(stack: EngineStack, database: str, timeout: float = 30) -> None:
    """`up` waits for Docker's health check (/health/live); the database may answer a bit later."""
    deadline = time.monotonic() + timeout
    while (state := stack.get("/health")["services"]["database"]) != database:
        assert time.monotonic() < deadline, f"/health says database {state!r}, not {database!r}"
        time.sleep(0.1)


def test_live_and_mock_run_side_by_side_on_their_own_ports(
    live: EngineStack, mock: EngineStack
) -> None:
    assert live.api_port != mock.api_port
    assert live.get("/health")["services"]["database"] == "ok"
    assert mock.get("/health")["services"]["database"] == "mock"
    containers = {stack.name: docker("container", "ls", "--format={{.Names}}",
                                     f"--filter=name={stack.prefix}-").split()
                  for stack in (live, mock)}  # fmt: skip
    assert sorted(containers["live"]) == [f"{live.prefix}-backend", f"{live.prefix}-postgres"]
    assert containers["mock"] == [f"{mock.prefix}-backend"]


@pytest.mark.parametrize("name", ["live", "mock"])
def test_a_second_preview_and_up_change_nothing(name: str, request: pytest.FixtureRequest) -> None:
    stack: EngineStack = request.getfixturevalue(name)
    preview = stack.stack.preview(color="never")
    assert set(preview.change_summary) == {"same"}, preview.change_summary
    started = time.monotonic()
    result = stack.stack.up(color="never")
    record(f"{name}: second up", time.monotonic() - started)
    assert set(result.summary.resource_changes or {}) == {"same"}, result.summary.resource_changes


def test_ports_are_published_on_loopback_only(live: EngineStack, mock: EngineStack) -> None:
    for stack in (live, mock):
        for container in docker("container", "ls", "--format={{.Names}}",
                                f"--filter=name={stack.prefix}-").split():  # fmt: skip
            assert published_ips(container) <= {"127.0.0.1"}, container
        assert published_ips(f"{stack.prefix}-backend") == {"127.0.0.1"}


def test_the_password_is_in_no_state_or_stack_file_in_plaintext(live: EngineStack) -> None:
    work_dir = Path(live.stack.workspace.work_dir)
    backend_dir = Path(live.stack.workspace.env_vars["PULUMI_BACKEND_URL"].removeprefix("file://"))
    (state,) = backend_dir.glob(f".pulumi/stacks/*/{live.name}.json")
    assert SECRET_SIG in state.read_text()  # the state holds secrets, encrypted
    secrets = (live.password, quote(live.password, safe=""), api_password(live.password))
    files = [path for path in [*work_dir.rglob("*"), *backend_dir.rglob("*")] if path.is_file()]
    for path in files:  # the state, its backups, the stack file
        text = path.read_bytes().decode(errors="replace")
        assert not [secret for secret in secrets if secret in text], path
    assert "dbPassword" in (work_dir / "Pulumi.live.yaml").read_text()  # there, encrypted


def test_a_row_written_on_live_survives_destroy_and_up(live: EngineStack) -> None:
    row = {"project_id": live.prefix, "path": "survivor.png", "type": "image"}
    asset = live.post("/assets", {**row, "consent_hash": "0" * 64})
    started = time.monotonic()
    live.stack.destroy(color="never")
    record("live: destroy", time.monotonic() - started)
    assert docker("container", "ls", "--all", "--quiet", f"--filter=name={live.prefix}-") == ""
    assert docker("volume", "ls", "--format={{.Name}}", f"--filter=name={live.prefix}-") == (
        f"{live.prefix}-pgdata"
    )
    started = time.monotonic()
    live.up()
    _wait_for_health(live, "ok")
    record("live: up again on the kept volume until /health ok", time.monotonic() - started)
    assert live.get(f"/assets/{asset['id']}")["path"] == "survivor.png"


def test_the_live_backend_runs_as_the_apis_role_without_the_owners_password(
    live: EngineStack,
) -> None:
    def environment(container: str) -> dict[str, str]:
        lines = docker("inspect", "--format={{json .Config.Env}}", container)
        return dict(line.split("=", 1) for line in json.loads(lines))

    backend = environment(f"{live.prefix}-backend")
    escaped = quote(live.password, safe="")
    assert not [v for v in backend.values() if live.password in v or escaped in v]
    assert "MIGRATION_DATABASE_URL" not in backend
    assert backend["DATABASE_URL"].startswith("postgresql://ossgameforge_app:")
    migrate = f"{live.prefix}-migrate"  # the one-shot step: as the owner, exited 0
    assert escaped in environment(migrate)["MIGRATION_DATABASE_URL"]
    assert docker("inspect", "--format={{.State.ExitCode}}", migrate) == "0"


def test_live_lists_the_sample_records_mock_serves(live: EngineStack, mock: EngineStack) -> None:
    for path in ("/assets", "/generation-logs"):
        samples = {item["id"]: item for item in mock.get(path)["items"]}
        listed = {item["id"]: item for item in live.get(f"{path}?limit=100")["items"]}
        assert samples and {key: listed.get(key) for key in samples} == samples, path


def test_request_logs_reach_the_containers_output_as_json_with_the_request_id(
    mock: EngineStack,
) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{mock.api_port}/assets", headers={"X-Request-ID": "stack-check-1"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["X-Request-ID"] == "stack-check-1"
    (line,) = [
        line for line in logs(f"{mock.prefix}-backend").splitlines() if "stack-check-1" in line
    ]
    entry = json.loads(line)
    fields = {key: entry[key] for key in ("method", "path", "status", "request_id")}
    assert fields == {
        "method": "GET",
        "path": "/assets",
        "status": 200,
        "request_id": "stack-check-1",
    }
    assert entry["duration_ms"] > 0
