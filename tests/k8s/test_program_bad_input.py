"""What a person sees when a Kubernetes stack's config is wrong: `preview` stops with one line
naming the key, nothing reaches the cluster, and fixing the value is all it takes."""

import secrets

import pytest
from pulumi.automation.events import OpType

from tests.engine_run import error_lines
from tests.k8s.conftest import StackFactory
from tests.k8s.stacks import Kube
from tools.engine import set_config

IMAGE = "ossgameforge:backendImage must be an image reference such as "
MANAGED = f"postgresql://owner:{secrets.token_hex(8)}@db.example/game"
CASES = [
    ("mock", {"replicas": "0"}, {"replicas": "1"},
     "error: ossgameforge:replicas must be a whole number from 1, got '0'"),
    ("mock", {"replicas": "-3"}, {"replicas": "3"},
     "error: ossgameforge:replicas must be a whole number from 1, got '-3'"),
    ("mock", {"backendImage": "ossgameforge/Backend:dev!"}, {"backendImage": "x/backend:1"},
     f"error: {IMAGE}registry.example:5000/ossgameforge-backend:1.0, got "
     "'ossgameforge/Backend:dev!'"),
    ("live", {}, {"externalDatabaseUrl": MANAGED},
     "error: ossgameforge:dbPassword is not set: `pulumi config set --secret dbPassword`, or set "
     "ossgameforge:externalDatabaseUrl to the owner's URL of a managed database"),
    ("live", {"externalDatabaseUrl": MANAGED}, {"externalDatabaseUrl": MANAGED},
     "error: ossgameforge:externalDatabaseUrl holds a password, and the stack file has it in "
     "plain text: set it again with `pulumi config set --secret externalDatabaseUrl`"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "bad", "good", "line"), CASES)
def test_bad_input_is_one_line_at_preview_and_up_and_nothing_reaches_the_cluster(
    make_stack: StackFactory,
    kube: Kube,
    name: str,
    bad: dict[str, str],
    good: dict[str, str],
    line: str,
) -> None:
    stack = make_stack(name, password=False, **bad)
    lines = error_lines(stack.preview)
    assert line in lines
    assert "Traceback" not in "\n".join(lines)
    assert line in error_lines(stack.up)
    assert kube.get(f"/api/v1/namespaces/{stack.namespace}") is None
    managed = "externalDatabaseUrl" in good  # the one key of these that is a secret
    set_config(stack.stack, good, secret=managed)
    summary = stack.preview().change_summary
    assert set(summary) == {"create", "same"}
    assert summary[OpType.SAME] == 1  # the stack itself, which the failed `up` registered
