"""A stack's specs on the local Docker engine without Pulumi, as `docker` commands.

The check (`python -m tools.stack`) starts what the Pulumi program declares from the same
`ContainerSpec`s. Every object it makes carries the label `LABEL=<stack prefix>`, so
`remove_stack` finds and deletes all of them, even after an interrupted start.
"""

import shlex
import time

from infra.spec import ContainerSpec, ImageBuild
from tools.docker import docker, wait_healthy

LABEL = "org.ossgameforge.stack"


def build_image(build: ImageBuild) -> str:
    """Build `build.tag` and return the image ID, as Pulumi's Image gives it (`repo_digest`)."""
    args = (f"--build-arg={name}={value}" for name, value in build.args.items())
    docker("build", "--quiet", f"--tag={build.tag}", *args, str(build.context), timeout=1800)
    return docker("image", "inspect", "--format={{.Id}}", build.tag)


def run_args(spec: ContainerSpec[str], image: str, *, label: str) -> list[str]:
    """`docker run` arguments for `spec`; secret values are named only (`--env NAME`)."""
    health = spec.healthcheck
    kind, *probe = health.test
    args = [
        "run",
        "--detach",
        f"--name={spec.name}",
        f"--label={LABEL}={label}",
        f"--restart={spec.restart}",
        # The CLI takes a shell command only; the same argv, quoted, runs the same probe.
        f"--health-cmd={shlex.join(probe) if kind == 'CMD' else probe[0]}",
        f"--health-interval={health.interval_s}s",
        f"--health-timeout={health.timeout_s}s",
        f"--health-retries={health.retries}",
        f"--health-start-period={health.start_period_s}s",
    ]
    args += [f"--env={name}={value}" for name, value in spec.env.items()]
    args += [f"--env={name}" for name in spec.secret_env]
    args += [f"--publish={p.host_ip}:{p.host}:{p.container}" for p in spec.ports]
    args += [f"--mount=type=volume,source={m.volume},target={m.path}" for m in spec.mounts]
    args += [f"--network={spec.network}"] if spec.network else []
    args += [f"--user={spec.user}"] if spec.user else []
    return [*args, image, *(spec.command or ())]


def start(spec: ContainerSpec[str], image: str, *, label: str) -> float:
    """Start `spec`'s container, wait until Docker reports it healthy (Pulumi's `wait`), and
    return how many seconds that took."""
    started = time.monotonic()
    docker(*run_args(spec, image, label=label), secrets=dict(spec.secret_env))
    wait_healthy(spec.name)
    return time.monotonic() - started


def start_all(containers: list[tuple[ContainerSpec[str], str]], *, label: str) -> dict[str, float]:
    """Start each (spec, image) once the containers it depends on are healthy; return the
    seconds each took to become healthy."""
    healthy: dict[str, float] = {}
    pending = list(containers)
    while pending:
        ready = [(spec, image) for spec, image in pending if set(spec.depends_on) <= healthy.keys()]
        if not ready:
            raise ValueError(f"unmet depends_on: {[spec.depends_on for spec, _ in pending]}")
        for spec, image in ready:
            healthy[spec.name] = start(spec, image, label=label)
            pending.remove((spec, image))
    return healthy


def create_network(name: str, *, label: str) -> None:
    docker("network", "create", f"--label={LABEL}={label}", name)


def create_volume(name: str, *, label: str) -> None:
    docker("volume", "create", f"--label={LABEL}={label}", name)


def remove_stack(label: str) -> list[str]:
    """Remove the containers, then the networks and volumes labelled `label`; return their names."""
    selector = f"--filter=label={LABEL}={label}"
    containers = docker("container", "ls", "--all", "--quiet", selector).split()
    if containers:
        docker("container", "rm", "--force", "--volumes", *containers)
    networks = docker("network", "ls", "--quiet", selector).split()
    if networks:
        docker("network", "rm", *networks)
    volumes = docker("volume", "ls", "--quiet", selector).split()
    if volumes:
        docker("volume", "rm", "--force", *volumes)
    return [*containers, *networks, *volumes]
