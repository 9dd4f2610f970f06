"""A `ContainerSpec` (infra/spec.py) as a Kubernetes container and the pod that runs it."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pulumi
import pulumi_kubernetes as k8s

from infra.kubernetes.objects import Placement
from infra.spec_types import ContainerSpec, HealthCheck

core = k8s.core.v1
TMP = "/tmp"  # writable (an emptyDir) under a read-only root filesystem
TMP_VOLUME = "tmp"


@dataclass(frozen=True)
class Resources:
    """What the scheduler reserves for a container, and what it may use at most. Quantities in
    the form the API server gives back (`500m`, not `0.5`): another spelling is a diff."""

    cpu: str
    memory: str
    cpu_limit: str
    memory_limit: str

    def args(self) -> core.ResourceRequirementsArgs:
        return core.ResourceRequirementsArgs(
            requests={"cpu": self.cpu, "memory": self.memory},
            limits={"cpu": self.cpu_limit, "memory": self.memory_limit},
        )


def container(
    spec: ContainerSpec,
    image: pulumi.Input[str],
    placement: Placement,
    *,
    name: str,
    resources: Resources,
    ports: Mapping[str, int] | None = None,
    env: Mapping[str, str] | None = None,
    mounts: Sequence[core.VolumeMountArgs] = (),
) -> core.ContainerArgs:
    """`spec`'s container as `name`: its environment (secret variables from the stack's Secret,
    `env` added), command and probes, `ports` by name; as `spec`'s user with nothing more than
    it needs (no privileges, no capabilities, a read-only root with a writable /tmp). A spec
    without a user keeps the image's, and a writable root (Postgres' entrypoint starts as root)."""
    if any(mount.host_path for mount in spec.mounts):
        raise ValueError(f"{spec.name}: a folder of this machine can't be mounted on a cluster")
    variables = [core.EnvVarArgs(name=key, value=value) for key, value in spec.env.items()]
    variables += [core.EnvVarArgs(name=key, value=value) for key, value in (env or {}).items()]
    variables += [placement.secret_env(key) for key in spec.secret_env]
    checks = probes(spec.healthcheck)
    return core.ContainerArgs(
        name=name,
        image=image,
        args=list(spec.command) if spec.command is not None else None,  # Docker's CMD
        env=variables,
        ports=[
            core.ContainerPortArgs(name=port_name, container_port=number)
            for port_name, number in (ports or {}).items()
        ]
        or None,
        readiness_probe=checks.readiness,
        liveness_probe=checks.liveness,
        startup_probe=checks.startup,
        resources=resources.args(),
        security_context=security_context(spec.user),
        volume_mounts=[*mounts, core.VolumeMountArgs(name=TMP_VOLUME, mount_path=TMP)],
    )


def probe(health: HealthCheck, path: str | None, *, failures: int | None = None) -> core.ProbeArgs:
    """A probe on the HTTP `path`, else running the spec's check command; timed as the Docker
    health check is (`failures` in a row fail it: by default its retries)."""
    http_get = exec_ = None
    if path is not None and health.http is not None:
        http_get = core.HTTPGetActionArgs(path=path, port=health.http.port)
    else:
        kind, *command = health.test
        shell = ["/bin/sh", "-c"] if kind == "CMD-SHELL" else []
        exec_ = core.ExecActionArgs(command=[*shell, *command])
    return core.ProbeArgs(
        http_get=http_get,
        exec_=exec_,
        period_seconds=health.interval_s,
        timeout_seconds=health.timeout_s,
        failure_threshold=failures or health.retries,
    )


class Probes(NamedTuple):
    readiness: core.ProbeArgs | None = None
    liveness: core.ProbeArgs | None = None
    startup: core.ProbeArgs | None = None


def probes(health: HealthCheck | None) -> Probes:
    """Readiness on the spec's ready path (else its check); where it serves a live path, also
    liveness there, after a startup probe that stands for Docker's start period."""
    if health is None:
        return Probes()
    if health.http is None:
        return Probes(readiness=probe(health, None))
    start = math.ceil(health.start_period_s / health.interval_s)
    return Probes(
        readiness=probe(health, health.http.ready),
        liveness=probe(health, health.http.live),
        startup=probe(health, health.http.live, failures=start),
    )


def security_context(user: str | None) -> core.SecurityContextArgs:
    seccomp = core.SeccompProfileArgs(type="RuntimeDefault")
    if user is None:  # the image's user: root that drops to its own (Postgres' entrypoint)
        return core.SecurityContextArgs(allow_privilege_escalation=False, seccomp_profile=seccomp)
    uid, _, gid = user.partition(":")
    return core.SecurityContextArgs(
        run_as_non_root=True,
        run_as_user=int(uid),
        run_as_group=int(gid or uid),
        read_only_root_filesystem=True,
        allow_privilege_escalation=False,
        capabilities=core.CapabilitiesArgs(drop=["ALL"]),
        seccomp_profile=seccomp,
    )


def pod(
    containers: Sequence[core.ContainerArgs], *, restart_policy: str | None = None
) -> core.PodSpecArgs:
    """A pod of `containers`, with an empty /tmp (for a read-only root); it gets no
    API token (nothing in it calls the API) and no variables naming the namespace's Services
    (a Service called ...-postgres would set POSTGRES_PORT=tcp://... in every container)."""
    return core.PodSpecArgs(
        containers=list(containers),
        volumes=[core.VolumeArgs(name=TMP_VOLUME, empty_dir=core.EmptyDirVolumeSourceArgs())],
        restart_policy=restart_policy,
        automount_service_account_token=False,
        enable_service_links=False,
    )
