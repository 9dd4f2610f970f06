"""The Kubernetes target's stacks under Pulumi's mocks, and how to read their objects."""

from typing import Any

from tests.infra.conftest import OFFLINE_IMAGES, StackRun, run_stack

NAMESPACE = "kubernetes:core/v1:Namespace"
SECRET_TYPE = "kubernetes:core/v1:Secret"
SERVICE = "kubernetes:core/v1:Service"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
JOB = "kubernetes:batch/v1:Job"
PDB = "kubernetes:policy/v1:PodDisruptionBudget"
WORKLOADS = (DEPLOYMENT, STATEFUL_SET, JOB)
SKIP_AWAIT = "pulumi.com/skipAwait"


def k8s_stack(stack: str, password: str | None, **extra: str) -> StackRun:
    """`stack`'s file with target kubernetes and the `extra` values."""
    values = {"target": "kubernetes", **extra}
    return run_stack(stack, password=password, extra=values, environ=OFFLINE_IMAGES)


def pod_spec(workload: Any) -> dict[str, Any]:
    spec: dict[str, Any] = workload.plain("spec")["template"]["spec"]
    return spec


def the_container(workload: Any) -> dict[str, Any]:
    (container,) = pod_spec(workload)["containers"]
    assert isinstance(container, dict)
    return container


def env(workload: Any) -> dict[str, str]:
    """Plain variables by name; a Secret's as `secret:<secret name>/<key>`."""
    found = {}
    for variable in the_container(workload).get("env", []):
        ref = variable.get("valueFrom", {}).get("secretKeyRef")
        found[variable["name"]] = f"secret:{ref['name']}/{ref['key']}" if ref else variable["value"]
    return found


def secret_data(run: StackRun) -> dict[str, str]:
    data: dict[str, str] = run.one(SECRET_TYPE).plain("stringData")
    return data
