"""The GitHub Actions workflow parses and calls sessions that exist in the noxfile; .ci/run
builds what the default sessions need."""

import functools
import runpy
import shlex
from pathlib import Path
from typing import Any

import nox.registry
import yaml

from tools.k8s.parts import PROVIDER_VERSION
from tools.pulumi.parts import CLI

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def noxfile() -> dict[str, Any]:
    """The noxfile's globals; run once (a second run registers every session again)."""
    return runpy.run_path(str(ROOT / "noxfile.py"))


def nox_sessions_called() -> set[str]:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    called: set[str] = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            words = shlex.split(step.get("run", ""))
            for at in range(len(words) - 1):
                if words[at : at + 2] == ["nox", "-s"]:
                    called.update(words[at + 2 :])
    return called


def test_workflow_runs_lint_integration_and_the_stacks() -> None:
    assert {"lint", "integration", "stack", "k8s"} <= nox_sessions_called()


def test_the_k8s_job_runs_on_a_kind_cluster_with_the_provider_the_tool_builds() -> None:
    job = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())["jobs"]["k8s"]
    assert job["env"] == {"K8S_CLUSTER": "kubeconfig"}
    assert any(step.get("uses", "").startswith("helm/kind-action@") for step in job["steps"])
    runs = [step.get("run") for step in job["steps"]]
    assert f"pulumi plugin install resource kubernetes {PROVIDER_VERSION}" in runs


def test_ci_builds_the_k8s_tools_before_the_default_sessions_which_include_k8s() -> None:
    script = (ROOT / ".ci/run").read_text()
    assert script.index("python3 -m tools.k8s build") < script.index("--only-group nox nox")
    assert "k8s" in noxfile()["nox"].options.sessions


def test_the_workflows_pulumi_is_the_release_the_tool_builds() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    versions = {
        step["with"]["pulumi-version"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("pulumi/actions@")
    }
    assert versions == {CLI.version.removeprefix("v")}


def test_every_session_the_workflow_calls_exists() -> None:
    noxfile()
    assert nox_sessions_called() <= set(nox.registry.get())
