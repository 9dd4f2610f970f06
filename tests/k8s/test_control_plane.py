"""The local control plane does what a cluster's does: a Deployment applied with kubectl becomes
a ReplicaSet and Pods (Pending: there is no node), and stopping it leaves no process behind."""

import json
import os
import subprocess
import time
from collections.abc import Callable
from typing import Any

from tools.k8s.cluster import ControlPlane, control_plane
from tools.k8s.parts import KUBECTL
from tools.k8s.processes import ours, read_pids

from .conftest import needed
from .stacks import web_deployment

DEPLOYMENT = web_deployment({"image": "ossgameforge/backend:dev"})


def kubectl(cluster: ControlPlane, *args: str, stdin: str = "") -> str:
    command = [str(KUBECTL.path()), *args]
    env = {**os.environ, **cluster.env()}  # HOME too: kubectl keeps a cache there
    done = subprocess.run(
        command, input=stdin, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def owned(
    cluster: ControlPlane, group: str, plural: str, kind: str, name: str
) -> list[dict[str, Any]]:
    """The default namespace's `plural` that the `kind` called `name` owns."""
    items: list[dict[str, Any]] = cluster.get(f"{group}/namespaces/default/{plural}")["items"]
    return [
        item
        for item in items
        for owner in item["metadata"].get("ownerReferences", [])
        if (owner["kind"], owner["name"]) == (kind, name)
    ]


def eventually(find: Callable[[], list[dict[str, Any]]], count: int) -> list[dict[str, Any]]:
    """`find()` once it returns `count` items, polled for up to a minute."""
    deadline = time.monotonic() + 60
    while len(found := find()) != count:
        assert time.monotonic() < deadline, f"{len(found)} of {count} after a minute: {found}"
        time.sleep(0.2)
    return found


def test_a_deployment_becomes_a_replica_set_and_pending_pods(cluster: ControlPlane) -> None:
    applied = kubectl(cluster, "apply", "-f", "-", stdin=json.dumps(DEPLOYMENT))
    assert applied == "deployment.apps/web created\n"
    sets = eventually(
        lambda: owned(cluster, "/apis/apps/v1", "replicasets", "Deployment", "web"), 1
    )
    assert sets[0]["spec"]["replicas"] == 2
    name = sets[0]["metadata"]["name"]
    pods = eventually(lambda: owned(cluster, "/api/v1", "pods", "ReplicaSet", name), 2)
    assert {pod["status"]["phase"] for pod in pods} == {"Pending"}
    assert not any(pod["spec"].get("nodeName") for pod in pods)  # no node to place them on
    # Each controller acted as its own service account (--use-service-account-credentials).
    accounts = cluster.get("/api/v1/namespaces/kube-system/serviceaccounts")["items"]
    names = {account["metadata"]["name"] for account in accounts}
    assert {"deployment-controller", "replicaset-controller"} <= names


def test_stopping_leaves_no_process_and_no_state() -> None:
    needed()
    with control_plane() as cluster:
        pids = read_pids(cluster.state)
        assert set(pids) == {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}
        assert all(ours(pid, cluster.state) for pid in pids.values())
        assert cluster.get("/version")["gitVersion"] == "v1.36.3"
    assert not any(ours(pid, cluster.state) for pid in pids.values())
    assert not cluster.state.exists()
