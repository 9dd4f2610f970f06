"""A local control plane: etcd, kube-apiserver, kube-controller-manager and kube-scheduler on
127.0.0.1 only.

    with control_plane() as cluster:           # a temporary state folder, removed after
        subprocess.run(["kubectl", "get", "ns"], env={**os.environ, **cluster.env()})

Each process gets free ports, a log in <state>/logs/ and its PID in <state>/pids.json; the API
server trusts a CA made for it and a token file (an admin in system:masters, and the controller
manager's user, which runs each controller as its own service account under RBAC, and the
scheduler's). There is no node: Pods stay Pending (unschedulable) unless tools.k8s.node adds
one. Binaries come from `python3 -m tools.k8s build`.
"""

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.k8s import commands, pki
from tools.k8s.parts import APISERVER, CONTROLLER_MANAGER, ETCD, SCHEDULER
from tools.k8s.processes import ClusterError, check, get, spawn, stop, wait_until
from tools.ports import free_ports
from tools.processes import reap

# The users RBAC's bootstrap roles name.
CONTROLLERS, SCHEDULER_USER = "system:kube-controller-manager", "system:kube-scheduler"
TIMEOUT = 90.0  # seconds each of the four may take to be ready (a busy 2-core machine)


@dataclass
class ControlPlane:
    state: Path
    server: str
    credentials: pki.Credentials
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ready_after: dict[str, float] = field(default_factory=dict)  # seconds from `start`, each

    @property
    def started_in(self) -> float:
        return max(self.ready_after.values(), default=0.0)

    @property
    def kubeconfig(self) -> Path:
        return self.state / "kubeconfig"

    def env(self) -> dict[str, str]:
        """What points kubectl and the Pulumi kubernetes provider here."""
        return {"KUBECONFIG": str(self.kubeconfig)}

    def get(self, path: str) -> Any:
        """The API's JSON answer to GET `path` (/api/v1/...), as the admin."""
        status, body = get(self.server + path, self.credentials.ca, self.credentials.admin_token)
        if status != 200:
            raise ClusterError(f"GET {path}: {status or 'no answer'} {body[:200]!r}")
        return json.loads(body)


def binaries() -> dict[str, Path]:
    """The cached binaries (not built here: `start` names a missing one)."""
    return {part.binary: part.path() for part in (ETCD, APISERVER, CONTROLLER_MANAGER, SCHEDULER)}


def start(state: Path, detach: bool = False) -> ControlPlane:
    """Start the four in `state` (made fresh); on failure stop what started, keep the logs."""
    if state.exists() and any(state.iterdir()):
        raise ClusterError(f"{state} is in use: `python3 -m tools.k8s down` stops what runs there")
    began = time.monotonic()
    bins = binaries()
    for name, binary in bins.items():
        if not binary.is_file():
            raise ClusterError(f"{name} is not built: run `python3 -m tools.k8s build`")
    credentials = pki.make(state / "pki")
    etcd_port, peer_port, api_port, controller_port, scheduler_port = free_ports(5)
    cluster = ControlPlane(state, f"https://127.0.0.1:{api_port}", credentials)
    admin, controllers = credentials.admin_token, credentials.controller_token
    pki.kubeconfig(cluster.kubeconfig, cluster.server, credentials.ca, admin, "admin")
    controller_config = state / "controller-manager.kubeconfig"
    pki.kubeconfig(controller_config, cluster.server, credentials.ca, controllers, CONTROLLERS)
    scheduler_config = state / "scheduler.kubeconfig"
    token = credentials.scheduler_token
    pki.kubeconfig(scheduler_config, cluster.server, credentials.ca, token, SCHEDULER_USER)

    def launch(name: str, command: list[str], ready: Callable[[], bool]) -> None:
        cluster.processes[name] = spawn(name, command, state, detach)
        wait_until(name, ready, cluster.processes, state, TIMEOUT)
        cluster.ready_after[name] = time.monotonic() - began

    etcd = commands.etcd(bins["etcd"], state / "etcd", etcd_port, peer_port)
    apiserver = commands.apiserver(bins["kube-apiserver"], state, credentials, etcd_port, api_port)
    controller_manager = commands.controller_manager(
        bins["kube-controller-manager"], state, credentials, controller_config, controller_port
    )
    scheduler = commands.scheduler(
        bins["kube-scheduler"], credentials, scheduler_config, scheduler_port
    )
    try:
        launch("etcd", etcd, lambda: get(f"http://127.0.0.1:{etcd_port}/health")[0] == 200)
        ready = f"{cluster.server}/readyz"
        launch("kube-apiserver", apiserver, lambda: get(ready, credentials.ca)[0] == 200)
        # The service-account controller's first work: pods can't be created before it.
        launch("kube-controller-manager", controller_manager, lambda: has_default_account(cluster))
        healthz = f"https://127.0.0.1:{scheduler_port}/healthz"
        launch("kube-scheduler", scheduler, lambda: get(healthz, credentials.ca)[0] == 200)
    except BaseException:
        halt(cluster)
        raise
    return cluster


def has_default_account(cluster: ControlPlane) -> bool:
    path = "/api/v1/namespaces/default/serviceaccounts/default"
    token = cluster.credentials.admin_token
    return get(cluster.server + path, cluster.credentials.ca, token)[0] == 200


def halt(cluster: ControlPlane) -> None:
    """Stop the processes this Python started, and reap them."""
    stop(cluster.state)
    for process in cluster.processes.values():  # also those `stop` missed: exec'd a moment ago
        reap(process)


def down(state: Path) -> None:
    """Stop what runs from `state` and remove it."""
    stop(state)
    shutil.rmtree(state, ignore_errors=True)


@contextmanager
def control_plane(state: Path | None = None) -> Iterator[ControlPlane]:
    """A running control plane, stopped on exit. Its state folder is removed after a block that
    succeeds, and kept for its logs after a failure (a one-line error names the log to read)."""
    folder = state or Path(tempfile.mkdtemp(prefix="ossgameforge-k8s-"))
    cluster = start(folder)
    try:
        yield cluster
        for name, process in cluster.processes.items():
            check(name, process, folder)  # one that died meanwhile is a failure too
    finally:
        halt(cluster)
    shutil.rmtree(folder, ignore_errors=True)
