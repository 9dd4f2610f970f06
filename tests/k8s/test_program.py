"""Both stacks' Kubernetes target on a real API server, by the real engine (inline programs, as
tests/stack does on Docker), with waitForReady false: the control plane has no node, so no Pod
ever runs. What that proves: the objects pass the API server's validation, defaulting and
admission (Pod Security included: the controllers make the Pods), the controllers do their part,
the program converges, and destroy keeps exactly what holds data."""

from functools import partial

import pytest

from tests.k8s.conftest import StackFactory
from tests.k8s.stacks import K8sStack, Kube, eventually, has


@pytest.fixture(scope="module")
def live(make_stack: StackFactory) -> K8sStack:
    stack = make_stack("live")
    stack.up("up")
    return stack


@pytest.fixture(scope="module")
def mock(make_stack: StackFactory) -> K8sStack:
    stack = make_stack("mock")
    stack.up("up")
    return stack


def made(stack: K8sStack) -> dict[str, list[str]]:
    """What the program itself makes in the stack's namespace (the Secret's name is random)."""
    ns = stack.namespace
    objects = {
        "deployments": [f"{ns}-backend"],
        "services": [f"{ns}-backend"],
        "poddisruptionbudgets": [f"{ns}-backend"],
    }
    if stack.name == "live":
        objects |= {
            "statefulsets": [f"{ns}-postgres"],
            "jobs": [f"{ns}-migrate"],
            "services": [f"{ns}-backend", f"{ns}-postgres"],
            "secrets": ["database-*"],
        }
    return objects


def test_both_stacks_are_applied_and_the_api_server_accepted_every_object(
    live: K8sStack, mock: K8sStack, kube: Kube
) -> None:
    for stack in (live, mock):
        found = kube.contents(stack.namespace)
        for kind, names in made(stack).items():
            if names == ["database-*"]:
                assert [n.startswith("database-") for n in found[kind]] == [True], found[kind]
            else:
                assert found[kind] == names, kind
        backend = kube.get(f"/apis/apps/v1/namespaces/{stack.namespace}/deployments/"
                           f"{stack.namespace}-backend")  # fmt: skip
        assert backend["spec"]["strategy"]["type"] == "RollingUpdate"  # the server's defaults
        (container,) = backend["spec"]["template"]["spec"]["containers"]
        assert container["imagePullPolicy"] == "IfNotPresent"
        assert container["securityContext"]["readOnlyRootFilesystem"] is True  # ours, kept
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"


def test_the_controllers_make_replica_sets_and_pending_pods_the_claim_and_the_jobs_pod(
    live: K8sStack, mock: K8sStack, kube: Kube
) -> None:
    for stack in (live, mock):
        backend = f"{stack.namespace}-backend"
        (replicas,) = eventually(
            partial(kube.owned, stack.namespace, "replicasets", "Deployment", backend), bool
        )
        assert replicas["spec"]["replicas"] == 2
        name = replicas["metadata"]["name"]
        # Made past Pod Security admission: restricted on mock, baseline on live.
        pods = eventually(partial(kube.owned, stack.namespace, "pods", "ReplicaSet", name), has(2))
        assert {pod["status"]["phase"] for pod in pods} == {"Pending"}  # no node
    ns = live.namespace
    eventually(lambda: kube.names(ns, "pods"), lambda pods: f"{ns}-postgres-0" in pods)
    claims = eventually(lambda: kube.names(ns, "persistentvolumeclaims"), bool)
    assert claims == [f"data-{ns}-postgres-0"]
    jobs_pods = eventually(
        lambda: [pod for pod in kube.names(ns, "pods") if pod.startswith(f"{ns}-migrate-")], bool
    )
    assert len(jobs_pods) == 1


@pytest.mark.parametrize("name", ["live", "mock"])
def test_a_second_preview_and_up_and_a_preview_after_a_refresh_change_nothing(
    name: str, request: pytest.FixtureRequest
) -> None:
    stack: K8sStack = request.getfixturevalue(name)
    preview = stack.preview("second preview")
    assert set(preview.change_summary) == {"same"}, preview.stdout
    changes = stack.up("second up").summary.resource_changes or {}
    assert set(changes) == {"same"}, changes
    stack.refresh()  # the live objects, with everything the server defaulted, into the state
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.stdout


def test_destroy_keeps_exactly_the_live_namespace_and_data_claim_and_up_adopts_them(
    live: K8sStack, mock: K8sStack, kube: Kube
) -> None:
    mock.destroy("destroy")
    assert kube.get(f"/api/v1/namespaces/{mock.namespace}") is None
    ns = live.namespace
    claim = kube.get(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data-{ns}-postgres-0")
    live.destroy("destroy")
    assert kube.get(f"/api/v1/namespaces/{ns}") is not None
    # Deleted at once by the engine; their Pods by the garbage collector, shortly after.
    kept = eventually(lambda: kube.contents(ns), lambda found: "pods" not in found)
    assert kept == {"persistentvolumeclaims": [f"data-{ns}-postgres-0"]}
    live.up("up on the kept namespace and claim")
    again = kube.get(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data-{ns}-postgres-0")
    assert again["metadata"]["uid"] == claim["metadata"]["uid"]  # the same data
    assert set(live.preview().change_summary) == {"same"}
    live.destroy()
    kube.wipe(ns)  # what the README says to run to wipe the data
    assert kube.get(f"/api/v1/namespaces/{ns}") is None
