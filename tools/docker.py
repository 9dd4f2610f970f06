"""The one way the tools and tests talk to the local Docker engine: its CLI. Standard library
only (`python3 -m tools.images` uses it too)."""

import json
import os
import subprocess


class DockerError(RuntimeError):
    """A `docker` command failed; the message is its last line of output."""


def docker(*args: str, secrets: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run `docker args` and return its stdout; `secrets` go in the environment, not argv."""
    env = {**os.environ, **secrets} if secrets else None
    try:
        done = subprocess.run(
            ["docker", *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DockerError(f"docker {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().splitlines()
        raise DockerError(f"docker {args[0]} failed: {output[-1] if output else done.returncode}")
    return done.stdout.strip()


def answers() -> bool:
    """Whether a Docker engine answers."""
    try:
        docker("info", timeout=20)
    except DockerError:
        return False
    return True


def exists(image: str) -> bool:
    try:
        docker("image", "inspect", "--format={{.Id}}", image)
    except DockerError:
        return False
    return True


def obtainable(image: str) -> bool:
    """Present locally, or pulled now."""
    try:
        return exists(image) or bool(docker("pull", "--quiet", image))
    except DockerError:
        return False


def logs(container: str, lines: int | None = None) -> str:
    """The container's output, stdout and stderr interleaved (the last `lines` only, if given)."""
    tail = [f"--tail={lines}"] if lines else []
    command = ["docker", "logs", *tail, container]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    return done.stdout.decode(errors="replace").strip()


def published_ips(container: str) -> set[str]:
    """The host addresses `container`'s ports are published on."""
    ports = json.loads(docker("inspect", "--format={{json .NetworkSettings.Ports}}", container))
    return {binding["HostIp"] for bindings in ports.values() if bindings for binding in bindings}
