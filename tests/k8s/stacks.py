"""The stacks' Kubernetes target on a real API server: the cluster as kubectl sees it (the local
control plane, or KUBECONFIG's cluster with K8S_CLUSTER=kubeconfig), and a stack on it."""

import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pulumi import automation as auto

from tests.engine_run import Figures, quiet

T = TypeVar("T")
# What the stacks may make in a namespace, and where the API lists each.
KINDS = {
    "deployments": "/apis/apps/v1",
    "replicasets": "/apis/apps/v1",
    "statefulsets": "/apis/apps/v1",
    "jobs": "/apis/batch/v1",
    "poddisruptionbudgets": "/apis/policy/v1",
    "pods": "/api/v1",
    "services": "/api/v1",
    "secrets": "/api/v1",
    "configmaps": "/api/v1",
    "serviceaccounts": "/api/v1",
    "persistentvolumeclaims": "/api/v1",
}
# What the cluster puts in every namespace by itself.
CLUSTER_MADE = {"configmaps": ["kube-root-ca.crt"], "serviceaccounts": ["default"]}
WEB_LABELS = {"app": "web"}


def web_deployment(container: dict[str, Any]) -> dict[str, Any]:
    """A Deployment `web` of two replicas of `container`, in the default namespace."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": WEB_LABELS},
            "template": {
                "metadata": {"labels": WEB_LABELS},
                "spec": {"containers": [{**container, "name": "web"}]},
            },
        },
    }


@dataclass(frozen=True)
class Kube:
    """A cluster, through kubectl with `env` (its KUBECONFIG)."""

    env: dict[str, str]
    kubectl: str

    def _kubectl(self, *args: str, stdin: str = "") -> "subprocess.CompletedProcess[str]":
        return subprocess.run(
            [self.kubectl, *args],
            input=stdin,
            env={**os.environ, **self.env},  # HOME too: kubectl keeps a cache there
            capture_output=True,
            text=True,
            check=False,
        )

    def run(self, *args: str, stdin: str = "") -> str:
        """kubectl's output; its failure fails the test."""
        done = self._kubectl(*args, stdin=stdin)
        assert done.returncode == 0, f"kubectl {' '.join(args)}: {done.stderr}"
        return done.stdout

    def get(self, path: str) -> Any:
        """The API's JSON answer to GET `path`; None if there is no such object (any other
        failure, an API server that does not answer, say, fails the test)."""
        done = self._kubectl("get", "--raw", path)
        if done.returncode == 0:
            return json.loads(done.stdout)
        assert "(NotFound)" in done.stderr, f"kubectl get --raw {path}: {done.stderr}"
        return None

    def owned(self, namespace: str, kind: str, owner_kind: str, owner: str) -> list[dict[str, Any]]:
        """`namespace`'s objects of `kind` (a key of KINDS) that the `owner_kind` `owner` owns."""
        found = self.get(f"{KINDS[kind]}/namespaces/{namespace}/{kind}") or {"items": []}
        return [
            item
            for item in found["items"]
            for ref in item["metadata"].get("ownerReferences", [])
            if (ref["kind"], ref["name"]) == (owner_kind, owner)
        ]

    def names(self, namespace: str, kind: str) -> list[str]:
        found = self.get(f"{KINDS[kind]}/namespaces/{namespace}/{kind}") or {"items": []}
        return sorted(item["metadata"]["name"] for item in found["items"])

    def contents(self, namespace: str) -> dict[str, list[str]]:
        """The names of each kind of object in `namespace`, but what the cluster makes in all."""
        found = {kind: self.names(namespace, kind) for kind in KINDS}
        for kind, names in CLUSTER_MADE.items():
            found[kind] = [name for name in found[kind] if name not in names]
        return {kind: names for kind, names in found.items() if names}

    def wipe(self, namespace: str) -> None:
        """Delete `namespace` and all in it (the README's wipe), and wait until it is gone."""
        self.run("delete", "namespace", namespace, "--ignore-not-found", "--wait", "--timeout=120s")


def has(count: int) -> Callable[[list[Any]], bool]:
    return lambda found: len(found) == count


def eventually(find: Callable[[], T], done: Callable[[T], bool], timeout: float = 60) -> T:
    """`find()` once `done` says so, polled for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not done(found := find()):
        assert time.monotonic() < deadline, f"still, after {timeout:.0f} s: {found}"
        time.sleep(0.5)
    return found


@dataclass
class K8sStack:
    """One stack on the engine with target kubernetes, in its namespace on the cluster; each
    operation's time is recorded as `figure` when one is given."""

    name: str
    stack: auto.Stack
    namespace: str
    figures: Figures

    def up(self, figure: str | None = None) -> auto.UpResult:
        return self._timed(figure, lambda: self.stack.up(color="never", on_output=quiet))

    def preview(self, figure: str | None = None) -> auto.PreviewResult:
        return self._timed(
            figure, lambda: self.stack.preview(color="never", diff=True, on_output=quiet)
        )

    def refresh(self) -> auto.RefreshResult:
        return self.stack.refresh(color="never", on_output=quiet)

    def destroy(self, figure: str | None = None) -> auto.DestroyResult:
        return self._timed(figure, lambda: self.stack.destroy(color="never", on_output=quiet))

    def _timed(self, figure: str | None, operation: Callable[[], T]) -> T:
        if figure is None:
            return operation()
        with self.figures.timed(f"{self.name}: {figure}"):
            return operation()
