"""The specs as `docker run` arguments, for the local check: the same container as Pulumi's."""

import secrets
import shlex

import pytest

from infra import spec
from infra.config import StackConfig, read_config, stack_file
from tools import stack_docker as local

PASSWORD = secrets.token_urlsafe(12)


def config(stack: str, **extra: str) -> StackConfig:
    values = {**stack_file(stack), **extra}
    return read_config(values.get, prefix=f"t-{stack}", environ={})


def option(args: list[str], name: str) -> list[str]:
    return [arg.split("=", 1)[1] for arg in args if arg.startswith(f"--{name}=")]


def test_secret_values_stay_out_of_the_command_line() -> None:
    live = config("live")
    for container in (
        spec.postgres(live, PASSWORD),
        spec.backend(live, spec.database_url(live, PASSWORD)),
    ):
        args = local.run_args(container, "image", label="t")
        assert PASSWORD not in " ".join(args)
        assert set(container.secret_env) <= set(option(args, "env"))


def test_ports_are_published_on_loopback() -> None:
    live = config("live", postgresPort="15432")
    postgres = local.run_args(spec.postgres(live, PASSWORD), "image", label="t")
    assert option(postgres, "publish") == ["127.0.0.1:15432:5432"]
    backend = local.run_args(spec.backend(config("mock"), None), "image", label="t")
    assert option(backend, "publish") == [f"127.0.0.1:{stack_file('mock')['apiPort']}:8000"]


def test_the_health_command_is_the_specs_argv() -> None:
    container = spec.postgres(config("live"), PASSWORD)
    args = local.run_args(container, "image", label="t")
    assert shlex.split(option(args, "health-cmd")[0]) == list(container.healthcheck.test[1:])


def test_live_backend_runs_migrations_then_the_server_as_the_app_user() -> None:
    live = config("live")
    args = local.run_args(spec.backend(live, "postgresql://x"), "the-image", label="t")
    image_at = args.index("the-image")
    assert args[image_at + 1 : image_at + 4] == ["sh", "-c", 'alembic upgrade head && exec "$@"']
    assert option(args, "user") == ["10001:10001"]
    assert option(args, "network") == [spec.network_name(live)]


def test_start_all_starts_a_container_after_those_it_depends_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = config("live")
    postgres = spec.postgres(live, PASSWORD)
    backend = spec.backend(live, spec.database_url(live, PASSWORD))
    started: list[str] = []

    def start(container: spec.ContainerSpec[str], image: str, *, label: str) -> float:
        started.append(container.name)
        return 0.0

    monkeypatch.setattr(local, "start", start)
    local.start_all([(backend, "b"), (postgres, "p")], label="t")
    assert started == [postgres.name, backend.name]
    with pytest.raises(ValueError, match="unmet depends_on"):
        local.start_all([(backend, "b")], label="t")
