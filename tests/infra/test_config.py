"""Stack settings: defaults, and errors that name the key to fix."""

import ast
from pathlib import Path

import pytest
import yaml

from app.config import DEV_ORIGINS
from infra.config import REPO, StackConfigError, read_config
from tests.stack_files import stack_file


def test_defaults_are_the_official_images_and_port_8000_live_8001_mock() -> None:
    unset: dict[str, str] = {}
    live = read_config(unset.get, prefix="p", environ={})
    assert (live.api_port, live.mock_mode, live.postgres_port) == (8000, False, None)
    assert (live.python_image, live.postgres_image) == ("python:3.11-slim", "postgres:17")
    assert read_config({"mockMode": "true"}.get, prefix="p", environ={}).api_port == 8001
    assert live.cors_origins.split(",") == list(DEV_ORIGINS)
    assert read_config({"corsOrigins": ""}.get, prefix="p", environ={}).cors_origins == ""


def test_images_come_from_the_key_else_the_projects_image_settings() -> None:
    environ = {"PYTHON_IMAGE": "offline/python:1", "POSTGRES_IMAGE": "offline/postgres:1"}
    unset: dict[str, str] = {}
    from_env = read_config(unset.get, prefix="p", environ=environ)
    assert (from_env.python_image, from_env.postgres_image) == tuple(environ.values())
    keys = {"pythonImage": "mine/python:2", "postgresImage": "mine/postgres:2"}
    from_keys = read_config(keys.get, prefix="p", environ=environ)
    assert (from_keys.python_image, from_keys.postgres_image) == tuple(keys.values())


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"mockMode": "sometimes"}, "ossgameforge:mockMode"),
        ({"apiPort": "80a"}, "ossgameforge:apiPort"),
        ({"postgresPort": "70000"}, "ossgameforge:postgresPort"),
        ({"apiPort": "0"}, "ossgameforge:apiPort"),
        ({"apiPort": "8²"}, "ossgameforge:apiPort must be"),
        ({"target": "kubernetes", "replicas": "2²"}, "ossgameforge:replicas must be a whole"),
        ({"apiPort": "9000", "postgresPort": "9000"}, "ossgameforge:postgresPort"),
        ({"corsOrigins": "http://localhost:5173/app"}, "ossgameforge:corsOrigins: CORS_ORIGINS"),
        ({"reload": "sometimes"}, "ossgameforge:reload must be true or false, got 'sometimes'"),
        ({"seed": "1"}, "ossgameforge:seed must be true or false, got '1'"),
        ({"sourceDir": "/nowhere"}, "ossgameforge:sourceDir: /nowhere has no app: set it to a"),
        ({"dbAppUser": "API-role"}, "ossgameforge:dbAppUser must be a PostgreSQL role name"),
        ({"dbUser": "a", "dbAppUser": "a"}, "ossgameforge:dbAppUser and ossgameforge:dbUser are"),
        ({"dbUser": "ossgameforge_api"}, "ossgameforge:dbUser is 'ossgameforge_api', the name"),
        ({"dbName": "d", "dbAppUser": "d_api"}, "ossgameforge:dbAppUser is 'd_api', the name of"),
        ({"dbName": "d" * 60}, "ossgameforge:dbName: the database name 'ddd"),
        ({"logFormat": "xml"}, "ossgameforge:logFormat: LOG_FORMAT"),
        ({"backendImage": "x/backend@sha256:" + "0" * 64}, "takes a tag, not a digest: got 'x/"),
    ],
)
def test_a_bad_value_fails_naming_its_key(values: dict[str, str], key: str) -> None:
    with pytest.raises(StackConfigError, match=key):
        read_config(values.get, prefix="p", environ={})


@pytest.mark.parametrize("prefix", ["ossgameforge-Live", "ossgameforge-" + "review-" * 5 + "x"])
def test_a_stack_name_kubernetes_cant_take_is_refused_on_that_target_only(prefix: str) -> None:
    unset: dict[str, str] = {}
    read_config(unset.get, prefix=prefix, environ={})
    line = (
        f"^ossgameforge:target is kubernetes, and the namespace would be '{prefix}', which is not "
        "a Kubernetes name of at most 43 characters"
    )
    with pytest.raises(StackConfigError, match=line):
        read_config({"target": "kubernetes"}.get, prefix=prefix, environ={})
    read_config({"target": "kubernetes"}.get, prefix=prefix.lower()[:43], environ={})


def test_a_malformed_image_names_the_key_or_the_variable_it_came_from() -> None:
    with pytest.raises(StackConfigError, match=r"^ossgameforge:postgresImage must be an image"):
        read_config({"postgresImage": "Postgres"}.get, prefix="p", environ={})
    with pytest.raises(StackConfigError, match=r"^PYTHON_IMAGE must be an image reference"):
        read_config({"mockMode": "true"}.get, prefix="p", environ={"PYTHON_IMAGE": "a b"})


def test_stack_files_differ_only_in_values() -> None:
    assert stack_file("live").keys() == stack_file("mock").keys()
    assert stack_file("live")["mockMode"] == "false"
    assert stack_file("mock")["mockMode"] == "true"


def test_stack_file_gives_strings_as_pulumi_does_and_skips_secrets(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n"
        "  ossgameforge:mockMode: true\n"
        "  ossgameforge:apiPort: 8001\n"
        "  ossgameforge:dbPassword:\n"
        "    secure: v1:AAAA\n"
        "  other:key: x\n"
    )
    assert stack_file("dev", tmp_path) == {"mockMode": "true", "apiPort": "8001"}


def test_the_program_imports_nothing_from_tools() -> None:
    imported = set()
    for source in (Path(__file__).resolve().parents[2] / "infra").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported |= {(source.name, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add((source.name, node.module))
    assert [pair for pair in imported if pair[1].split(".")[0] == "tools"] == []
    assert ("config.py", "infra.images") in imported  # the image defaults live in infra/


@pytest.mark.parametrize("stack", ["live", "mock"])
def test_stack_files_hold_strings_as_the_cli_writes_them(stack: str) -> None:
    # `pulumi config set` (v3.274.1) rewrites a stack file with every plain value quoted; in
    # that form already, the README's `config set --secret dbPassword` adds only the secret.
    document = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
    assert {key: type(value) for key, value in document["config"].items()} == dict.fromkeys(
        document["config"], str
    )
