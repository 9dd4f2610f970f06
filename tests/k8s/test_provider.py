"""The kubernetes provider built by tools.k8s, through the real Pulumi engine (an inline
program of the automation API): up creates, a second preview changes nothing, destroy removes."""

import os
from pathlib import Path

import pulumi_kubernetes as k8s
import pytest
from pulumi import automation as auto

from tools.engine import engine_env
from tools.k8s.cluster import ControlPlane
from tools.k8s.parts import PROVIDER, pulumi_cli
from tools.pulumi.parts import pulumi_home
from tools.pulumi.plugin import install

from .conftest import needed

LABELS = {"app": "web"}


def program() -> None:
    namespace = k8s.core.v1.Namespace("ns", metadata={"name": "smoke"})
    k8s.apps.v1.Deployment(
        "web",
        metadata={
            "namespace": namespace.metadata["name"],
            "annotations": {"pulumi.com/skipAwait": "true"},  # no node: never available
        },
        spec={
            "selector": {"match_labels": LABELS},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {"containers": [{"name": "web", "image": "ossgameforge/backend:dev"}]},
            },
        },
    )


@pytest.fixture
def provider() -> None:
    needed(PROVIDER)  # before a control plane starts for nothing


def test_up_preview_destroy_with_the_built_provider(
    provider: None, cluster: ControlPlane, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(PROVIDER, PROVIDER.bin_dir(), cli_dir=pulumi_cli().parent)  # unless it is already
    monkeypatch.setenv("PATH", f"{pulumi_cli().parent}{os.pathsep}{os.environ['PATH']}")
    # Its own file backend: the environment's PULUMI_BACKEND_URL (a person's) would win over
    # the project's, and keep a stack that a killed run left behind.
    env = {**engine_env(tmp_path, "test"), **cluster.env(), "PULUMI_HOME": str(pulumi_home())}
    settings = auto.ProjectSettings(name="k8s-smoke", runtime="python")
    options = auto.LocalWorkspaceOptions(project_settings=settings, env_vars=env)
    stack = auto.create_stack(stack_name="dev", project_name="k8s-smoke", program=program,
                              opts=options)  # fmt: skip
    try:
        assert stack.up().summary.resource_changes == {"create": 3}
        deployments = cluster.get("/apis/apps/v1/namespaces/smoke/deployments")["items"]
        assert [d["metadata"]["name"].startswith("web-") for d in deployments] == [True]
        assert stack.preview().change_summary == {"same": 3}
    finally:
        assert stack.destroy().summary.resource_changes == {"delete": 3}
    assert cluster.get("/apis/apps/v1/namespaces/smoke/deployments")["items"] == []
