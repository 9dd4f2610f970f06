"""The node's configuration files: containerd's, the CNI network's and the kubelet's."""

from pathlib import Path

BRIDGE = "ogf0"  # one node a machine: the bridge and pod range are fixed
POD_RANGE = "10.244.0.0/24"
PAUSE = "ossgameforge/pause:local"  # the sandbox image: the Debian stand-in, sleeping


def containerd_config(folder: Path) -> str:
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    return f"""version = 2
root = "{folder}/root"
state = "{folder}/state"
[grpc]
  address = "{folder}/containerd.sock"
[ttrpc]
  address = "{folder}/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "{folder}/opt"
[{cri}]
  sandbox_image = "docker.io/{PAUSE}"
  restrict_oom_score_adj = true
[{cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[{cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "{folder}/cni"
"""


def network(folder: Path) -> dict[str, object]:
    # The leases in the node's folder, which teardown removes (the default, /var/lib/cni, would
    # keep those of Pods deleted without CNI's DEL, and the range would fill up run by run).
    ipam = {"type": "host-local", "ranges": [[{"subnet": POD_RANGE}]], "dataDir": f"{folder}/ipam"}
    bridge = {"type": "bridge", "bridge": BRIDGE, "isGateway": True, "ipMasq": False, "ipam": ipam}
    return {"cniVersion": "0.4.0", "name": "ossgameforge", "plugins": [bridge]}


def kubelet_config(folder: Path, port: int, health: int, ca: Path) -> dict[str, object]:
    return {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        "failCgroupV1": False,  # this machine has cgroup v1 (hybrid)
        "cgroupDriver": "cgroupfs",
        "containerRuntimeEndpoint": f"unix://{folder}/containerd/containerd.sock",
        "address": "127.0.0.1",
        "port": port,
        "readOnlyPort": 0,
        "healthzBindAddress": "127.0.0.1",
        "healthzPort": health,
        "authentication": {
            "anonymous": {"enabled": False},
            "webhook": {"enabled": True},
            "x509": {"clientCAFile": str(ca)},
        },
        "authorization": {"mode": "Webhook"},
        "failSwapOn": False,
        "podLogsDir": str(folder / "pod-logs"),
        "evictionHard": {},  # a developer's disk: no evictions
        "imageGCHighThresholdPercent": 100,  # the loaded images can't be pulled back
        "imageGCLowThresholdPercent": 99,
    }
