"""Every docker resource type and input property the program registers, in both stacks, is in
the schema that the bridge's tfgen generated for the rebuilt docker provider: what `pulumi up`
with that provider needs (the official provider's native docker.Image is not in it)."""

import json
import secrets
from typing import Any

import pytest
from pulumi.runtime import rpc

from tests.infra.conftest import OFFLINE_IMAGES, run_stack
from tools.pulumi.parts import docker_schema

SCHEMA = docker_schema()
pytestmark = pytest.mark.skipif(
    SCHEMA is None,
    reason="the docker provider is not built: `python3 -m tools.pulumi` builds it and its schema",
)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    assert SCHEMA is not None
    document: dict[str, Any] = json.loads(SCHEMA.read_text())
    return document


def unknown(value: Any, spec: dict[str, Any], schema: dict[str, Any], path: str) -> list[str]:
    """Property names in the registered `value` that its schema `spec` lacks, nested ones too."""
    value = rpc.unwrap_rpc_secret(value)
    if "$ref" in spec:
        spec = schema["types"].get(spec["$ref"].removeprefix("#/types/"), {})
    if isinstance(value, list) and "items" in spec:
        return [
            name
            for index, item in enumerate(value)
            for name in unknown(item, spec["items"], schema, f"{path}[{index}]")
        ]
    if not isinstance(value, dict) or "properties" not in spec:
        return []  # a scalar, or a map of free keys
    found = []
    for key, item in value.items():
        if key not in spec["properties"]:
            found.append(f"{path}.{key}")
        else:
            found += unknown(item, spec["properties"][key], schema, f"{path}.{key}")
    return found


@pytest.mark.parametrize("stack", ["mock", "live"])
def test_every_docker_resource_and_input_the_program_registers_is_in_the_schema(
    stack: str, schema: dict[str, Any]
) -> None:
    password = secrets.token_urlsafe(12) if stack == "live" else None
    run = run_stack(stack, password=password, environ=OFFLINE_IMAGES)
    docker = [r for r in run.registrations if r.type.startswith("docker:")]
    assert docker, f"the {stack} stack registers no docker resource"
    missing = []
    for registration in docker:
        resource = schema["resources"].get(registration.type)
        if resource is None:
            missing.append(f"{registration.name}: no resource type {registration.type}")
            continue
        inputs = {"properties": resource.get("inputProperties", {})}
        missing += unknown(registration.inputs, inputs, schema, f"{registration.name} inputs")
    assert not missing, f"not in the rebuilt provider's schema: {'; '.join(missing)}"
