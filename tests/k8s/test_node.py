"""A node (experimental): the scheduler puts a Deployment's Pods on the kubelet, they run, a
Service answers through the API server's service proxy, and afterwards the machine is as it was
(no process, bridge, mount, network namespace or pod cgroup left; kernel tunables restored). The
mock stack's Kubernetes target runs there too, awaited by the provider until ready."""

import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.db import ROOT
from tests.engine_run import quiet
from tests.k8s.conftest import EXISTING, FIGURES, fail_or_skip
from tests.k8s.stacks import WEB_LABELS, Kube, web_deployment
from tools.docker import answers, docker, exists
from tools.engine import engine_env, open_stack, set_config
from tools.images import LOCAL_DEBIAN_IMAGE, LOCAL_PYTHON_IMAGE
from tools.k8s.cluster import ControlPlane
from tools.k8s.node import PACKAGES, TUNABLES, namespaces, node
from tools.k8s.node_config import BRIDGE
from tools.k8s.parts import KUBECTL, KUBELET
from tools.k8s.processes import get
from tools.pulumi.build import build

CONTAINER = {
    "image": f"docker.io/{LOCAL_PYTHON_IMAGE}",
    "imagePullPolicy": "Never",  # loaded from the Docker engine; there is no registry
    "command": ["python3", "-m", "http.server", "8080"],
    "ports": [{"containerPort": 8080}],
    "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 1},  # the kubelet probes
}
DEPLOYMENT = web_deployment(CONTAINER)
SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"selector": WEB_LABELS, "ports": [{"port": 80, "targetPort": 8080}]},
}


@pytest.fixture
def node_needs() -> None:
    """Skips (fails on CI) before a control plane starts for nothing."""
    if EXISTING:
        pytest.skip("K8S_CLUSTER=kubeconfig: a node is added to this kit's own control plane")
    missing = [package for path, package in PACKAGES.items() if not shutil.which(path)]
    if os.environ.get("CI") == "true" and os.geteuid() == 0 and not missing:
        build(KUBELET)  # awaits the build .ci/run started, if it still runs
    if os.geteuid() != 0 or missing or not KUBELET.path().is_file():
        install = f", `apt-get install {' '.join(missing)}`" if missing else ""
        fail_or_skip(f"a node needs root{install} and `python3 -m tools.k8s build --only kubelet`")
    if not answers() or not all(
        exists(image) for image in (LOCAL_DEBIAN_IMAGE, LOCAL_PYTHON_IMAGE)
    ):
        fail_or_skip("a node loads the stand-in images from Docker: `python3 -m tools.images`")


def answer(cluster: ControlPlane, path: str, deadline: float) -> bytes:
    """The body of a 200 from `path` through the API server (503 until a Pod behind it is
    ready: in its Service's EndpointSlice)."""
    while (found := get(cluster.server + path, cluster.credentials.ca,
                        cluster.credentials.admin_token))[0] != 200:  # fmt: skip
        assert time.monotonic() < deadline, found
        time.sleep(1)
    return found[1]


def running(cluster: ControlPlane) -> list[str]:
    pods = cluster.get("/api/v1/namespaces/default/pods")["items"]
    return [pod["status"].get("podIP") for pod in pods if pod["status"]["phase"] == "Running"]


def test_pods_run_and_a_service_answers_and_nothing_is_left(
    node_needs: None, cluster: ControlPlane
) -> None:
    tunables = {name: Path("/proc/sys", name).read_text() for name in TUNABLES}
    netns = namespaces()
    with node(cluster, [LOCAL_PYTHON_IMAGE]):
        kube = Kube(cluster.env(), str(KUBECTL.path()))
        for document in (DEPLOYMENT, SERVICE):
            kube.run("apply", "-f", "-", stdin=json.dumps(document))
        deadline = time.monotonic() + 120
        while len(running(cluster)) < 2:
            assert time.monotonic() < deadline, cluster.get("/api/v1/namespaces/default/pods")
            time.sleep(1)
        page = answer(cluster, "/api/v1/namespaces/default/services/web:80/proxy/", deadline)
        assert b"Directory listing for /" in page
    assert {name: Path("/proc/sys", name).read_text() for name in TUNABLES} == tunables
    assert namespaces() == netns
    assert not Path(f"/sys/class/net/{BRIDGE}").exists()
    assert not list(Path("/sys/fs/cgroup").glob("*/kubepods"))
    assert str(cluster.state) not in Path("/proc/self/mountinfo").read_text()


@pytest.fixture
def backend_image(node_needs: None) -> Iterator[str]:
    """The backend image, built in Docker (on the stand-in base where that is the setting)."""
    if shutil.which("pulumi") is None:
        fail_or_skip('no `pulumi` on PATH: eval "$(python3 -m tools.pulumi --print-env)"')
    tag = f"ossgameforge/backend:ogk-node-{secrets.token_hex(3)}"
    base = os.environ.get("PYTHON_IMAGE")
    docker(
        "build", "-q", *([f"--build-arg=PYTHON_IMAGE={base}"] if base else []), "-t", tag, str(ROOT)
    )
    yield tag
    docker("rmi", "--force", tag)


def test_the_mock_stack_runs_on_the_node_ready_and_answering_through_its_service(
    backend_image: str, cluster: ControlPlane, tmp_path: Path
) -> None:
    with node(cluster, [backend_image]):
        project = f"ogk-{secrets.token_hex(3)}"
        namespace = f"{project}-mock"
        env = {**engine_env(tmp_path / "state"), **cluster.env()}
        stack = open_stack("mock", work_dir=tmp_path / "work", project=project, env=env)
        # waitForReady (the default): `up` ends once the provider saw the Deployment's Pods
        # ready (the kubelet's probes on /health/ready) and the Service's endpoints.
        set_config(stack, {"target": "kubernetes", "backendImage": backend_image})
        try:
            with FIGURES.timed("mock on a node: up until ready"):
                stack.up(color="never", on_output=quiet)
            ready = cluster.get(
                f"/apis/apps/v1/namespaces/{namespace}/deployments/{namespace}-backend"
            )
            assert ready["status"]["readyReplicas"] == 2
            service = f"/api/v1/namespaces/{namespace}/services/{namespace}-backend:http/proxy"
            health = json.loads(answer(cluster, f"{service}/health", time.monotonic() + 30))
            assert health["services"]["database"] == "mock", health
        finally:
            stack.destroy(color="never", on_output=quiet)
            stack.workspace.remove_stack("mock")
    gone = get(f"{cluster.server}/api/v1/namespaces/{namespace}", cluster.credentials.ca,
               cluster.credentials.admin_token)  # fmt: skip
    assert gone[0] == 404, gone
