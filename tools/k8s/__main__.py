"""A local Kubernetes control plane and the Pulumi kubernetes provider, from Go modules.

  python3 -m tools.k8s build      build what is not cached, install the provider as a plugin
  python3 -m tools.k8s up         start etcd, the API server, controller manager, scheduler
  python3 -m tools.k8s down       stop them by PID and remove their state folder

`eval "$(python3 -m tools.k8s up --print-env)"` points KUBECONFIG, and kubectl 1.36 on PATH, at
the control plane. Standard library only: it runs on the machine's python3.
"""

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.k8s import node
from tools.k8s.cluster import down, start
from tools.k8s.parts import KUBECTL, KUBELET, PARTS, build_all, cache
from tools.k8s.pki import PkiError
from tools.k8s.processes import ClusterError, read_pids
from tools.pulumi.build import BuildError


def say(message: str) -> None:
    print(f"k8s: {message}", file=sys.stderr, flush=True)


def up(state: Path, print_env: bool) -> None:
    cluster = start(state, detach=True)
    steps = ", ".join(f"{name} {after:.1f}s" for name, after in cluster.ready_after.items())
    say(f"ready at {cluster.server} ({steps}); logs in {state / 'logs'}")
    if print_env:
        env = cluster.env()
        if KUBECTL.path().is_file():  # kubectl of the same release, first on PATH
            env["PATH"] = os.pathsep.join([str(KUBECTL.bin_dir()), os.environ.get("PATH", "")])
        for name, value in env.items():
            print(f"export {name}={shlex.quote(value)}")


def stop(state: Path) -> None:
    running = read_pids(state)
    node.teardown(state)  # a node's containers first: their shims outlive containerd
    down(state)
    say(f"stopped {', '.join(running) or 'nothing'}; removed {state}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tools.k8s", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build what is not cached (cold: 20-80 min)")
    build.add_argument(
        "--only", choices=[part.binary for part in (*PARTS, KUBELET)], help="just this one"
    )
    for name, help in (("up", "start the control plane"), ("down", "stop it, remove its state")):
        command = commands.add_parser(name, help=help)
        command.add_argument("--state", type=Path, default=cache() / "cluster",
                             help="its folder (default: %(default)s)")  # fmt: skip
    commands.choices["up"].add_argument(
        "--print-env", action="store_true", help="print `export` lines for KUBECONFIG and PATH"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build_all(
                tuple(part for part in (*PARTS, KUBELET) if args.only == part.binary) or PARTS
            )
        elif args.command == "up":
            up(args.state.absolute(), args.print_env)
        else:
            stop(args.state.absolute())
    except (BuildError, ClusterError, PkiError) as error:
        say(str(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
