"""The local control plane does what a cluster's does: a Deployment applied with kubectl becomes
a ReplicaSet and Pods (Pending: there is no node), and stopping it leaves no process behind."""

import json
from functools import partial

from tools.k8s.cluster import ControlPlane, control_plane
from tools.k8s.parts import KUBECTL
from tools.k8s.processes import ours, read_pids

from .conftest import needed
from .stacks import Kube, eventually, has, web_deployment

DEPLOYMENT = web_deployment({"image": "ossgameforge/backend:dev"})


def test_a_deployment_becomes_a_replica_set_and_pending_pods(cluster: ControlPlane) -> None:
    kube = Kube(cluster.env(), str(KUBECTL.path()))
    applied = kube.run("apply", "-f", "-", stdin=json.dumps(DEPLOYMENT))
    assert applied == "deployment.apps/web created\n"
    sets = eventually(partial(kube.owned, "default", "replicasets", "Deployment", "web"), has(1))
    assert sets[0]["spec"]["replicas"] == 2
    name = sets[0]["metadata"]["name"]
    pods = eventually(partial(kube.owned, "default", "pods", "ReplicaSet", name), has(2))
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
