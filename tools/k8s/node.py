"""A node for the local control plane (experimental): Debian's containerd 1.6 on a socket and
state of its own (dockerd's containerd is left alone), CNI's bridge plugin on a bridge of its
own, and the kubelet of the control plane's release. Images come from the local Docker engine.
The control plane's scheduler places Pods here, and they run; a Service answers through the API
server's service proxy (there is no kube-proxy, so ClusterIPs don't). Needs root and the Debian
packages containerd, runc and containernetworking-plugins.

What this machine asks for: the kubelet refuses cgroup v1 unless failCgroupV1 is false; root
here lacks CAP_SYS_RESOURCE, so runc can't lower a sandbox's oom_score_adj unless containerd
clamps it (restrict_oom_score_adj); the kubelet sets four kernel tunables at start, which
`teardown` puts back.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tools.docker import docker
from tools.k8s import pki
from tools.k8s.cluster import ControlPlane
from tools.k8s.commands import command
from tools.k8s.node_config import BRIDGE, PAUSE, containerd_config, kubelet_config, network
from tools.k8s.parts import KUBELET
from tools.k8s.processes import ClusterError, spawn, stop, wait_until
from tools.ports import free_ports

NAME = pki.NODE
TUNABLES = ("vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops")
PACKAGES = {
    "containerd": "containerd",
    "runc": "runc",
    "/usr/lib/cni/bridge": "containernetworking-plugins",
}


def ctr(folder: Path, *args: str, stdin: int | None = None, check: bool = True) -> str:
    """`ctr args` against the node's containerd, in the namespace the kubelet uses."""
    socket = str(folder / "containerd/containerd.sock")
    command = ["ctr", "-a", socket, "-n", "k8s.io", *args]
    done = subprocess.run(command, stdin=stdin, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ClusterError(f"`ctr {' '.join(args[:2])}` failed: {done.stderr.strip()[-300:]}")
    return done.stdout


def load(folder: Path, images: Sequence[str]) -> None:
    """The pause image (made from the Debian stand-in) and `images`, from Docker to containerd."""
    with tempfile.TemporaryDirectory() as context:
        dockerfile = (
            'FROM ossgameforge/debian:local\nSTOPSIGNAL SIGKILL\nCMD ["sleep", "infinity"]\n'
        )
        (Path(context) / "Dockerfile").write_text(dockerfile)
        docker("build", "-q", "-t", PAUSE, context)
    for image in (PAUSE, *images):
        with subprocess.Popen(["docker", "save", image], stdout=subprocess.PIPE) as saved:
            assert saved.stdout is not None
            ctr(folder, "images", "import", "-", stdin=saved.stdout.fileno())
        if saved.returncode != 0:
            raise ClusterError(f"`docker save {image}` failed (exit {saved.returncode})")
    docker("rmi", PAUSE)


@contextmanager
def node(cluster: ControlPlane, images: Sequence[str]) -> Iterator[str]:
    """The node's name, Ready in `cluster` with `images` loaded; removed after the block."""
    missing = [package for path, package in PACKAGES.items() if not shutil.which(path)]
    if missing or not KUBELET.path().is_file():
        install = f"`apt-get install {' '.join(missing)}` and " if missing else ""
        raise ClusterError(f"a node needs {install}`python3 -m tools.k8s build --only kubelet`")
    folder = cluster.state / "node"
    (folder / "containerd/cni").mkdir(parents=True)
    before = {name: Path("/proc/sys", name).read_text() for name in TUNABLES}
    (folder / "tunables.json").write_text(json.dumps(before))
    (folder / "netns.json").write_text(json.dumps(namespaces()))
    containerd = folder / "containerd/config.toml"
    containerd.write_text(containerd_config(folder / "containerd"))
    (folder / "containerd/cni/10-ossgameforge.conflist").write_text(json.dumps(network(folder)))
    credentials = cluster.credentials
    pki.kubeconfig(
        folder / "kubeconfig", cluster.server, credentials.ca, credentials.node_token, NAME
    )
    port, health = free_ports(2)
    config = kubelet_config(folder, port, health, credentials.ca)
    (folder / "kubelet.json").write_text(json.dumps(config))
    kubelet = command(
        KUBELET.path(),
        config=folder / "kubelet.json",
        kubeconfig=folder / "kubeconfig",
        root_dir=folder / "kubelet",
        cert_dir=folder / "kubelet-pki",
        hostname_override=NAME,
    )

    def launch(name: str, command: list[str], ready: Callable[[], bool], timeout: float) -> None:
        cluster.processes[name] = spawn(name, command, cluster.state, detach=False)
        wait_until(name, ready, cluster.processes, cluster.state, timeout)

    try:
        socket = folder / "containerd/containerd.sock"
        launch("containerd", ["containerd", "--config", str(containerd)], socket.exists, 30)
        load(folder, images)
        launch("kubelet", kubelet, lambda: ready(cluster), 90)
        yield NAME
    finally:
        teardown(cluster.state)
        for name in ("kubelet", "containerd"):
            if name in cluster.processes:
                cluster.processes.pop(name).wait()


def ready(cluster: ControlPlane) -> bool:
    try:
        conditions = cluster.get(f"/api/v1/nodes/{NAME}")["status"].get("conditions", [])
    except ClusterError:
        return False
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def teardown(state: Path) -> None:
    """Kubelet, containers and containerd stopped; kernel tunables, mounts, network namespaces,
    bridge and cgroups as they were before the node."""
    folder = state / "node"
    if not folder.exists():
        return
    stop(state, ("kubelet",))  # first: it would start the pods again
    for name, value in json.loads((folder / "tunables.json").read_text()).items():
        Path("/proc/sys", name).write_text(value)
    if (folder / "containerd/containerd.sock").exists():  # the shims outlive containerd
        for task in ctr(folder, "tasks", "ls", "-q", check=False).split():
            ctr(folder, "tasks", "delete", "--force", task, check=False)
        for container in ctr(folder, "containers", "ls", "-q", check=False).split():
            ctr(folder, "containers", "delete", container, check=False)
    stop(state, ("containerd",))
    pods = Path("/sys/fs/cgroup/pids/kubepods")
    for procs in pods.rglob("cgroup.procs") if pods.is_dir() else ():
        for pid in procs.read_text().split():  # only what ran in the node's pods
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
    mounts = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    for mount in sorted((m for m in mounts if m.startswith(f"{folder}/")), reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True, check=False)
    before = set(json.loads((folder / "netns.json").read_text()))
    for netns in set(namespaces()) - before:  # made by containerd for the pods' sandboxes
        subprocess.run(["ip", "netns", "delete", netns], capture_output=True, check=False)
    subprocess.run(["ip", "link", "delete", BRIDGE], capture_output=True, check=False)
    time.sleep(0.2)  # the killed processes leave their cgroups
    for top in Path("/sys/fs/cgroup").glob("*/kubepods"):
        for group, _, _ in os.walk(top, topdown=False):  # children first
            with contextlib.suppress(OSError):
                Path(group).rmdir()


def namespaces() -> list[str]:
    netns = Path("/var/run/netns")
    return sorted(path.name for path in netns.iterdir()) if netns.is_dir() else []
