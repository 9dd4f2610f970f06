"""A `ContainerSpec` as the arguments of a `pulumi_docker.Container`."""

import pulumi
import pulumi_docker as docker

from infra.spec_types import ContainerSpec

# Upper bound for `wait`: Postgres initialising a new data volume takes the longest.
WAIT_TIMEOUT_S = 120
AFTER_LABEL = "org.ossgameforge.after"  # the step a container waited for (its ID)


def container_args(
    spec: ContainerSpec, image: pulumi.Input[str], *, after: pulumi.Input[str] | None = None
) -> docker.ContainerArgs:
    """Arguments for `spec`'s container running `image`. `pulumi up` waits until it is healthy,
    or, for a one-shot container (no health check), until it has exited: its exit code and
    output are then in the resource's `exit_code` and `container_logs`. `after`, a value that
    only exists once a step before this container succeeded, is kept as a label."""
    health = spec.healthcheck
    secret_envs = [_secret_env(name, value) for name, value in spec.secret_env.items()]
    running = (
        {"restart": "unless-stopped", "wait": True, "wait_timeout": WAIT_TIMEOUT_S}
        if health
        else {"must_run": False, "attach": True, "logs": True}
    )
    return docker.ContainerArgs(
        name=spec.name,
        image=image,
        envs=[*(f"{name}={value}" for name, value in spec.env.items()), *secret_envs],
        ports=[
            docker.ContainerPortArgs(internal=port.container, external=port.host, ip=port.host_ip)
            for port in spec.ports
        ],
        healthcheck=docker.ContainerHealthcheckArgs(
            tests=list(health.test),
            interval=go_duration(health.interval_s),
            timeout=go_duration(health.timeout_s),
            retries=health.retries,
            start_period=go_duration(health.start_period_s),
        )
        if health
        else None,
        volumes=[
            docker.ContainerVolumeArgs(
                container_path=mount.path,
                volume_name=mount.volume,
                host_path=mount.host_path,
                read_only=True if mount.host_path else None,
            )
            for mount in spec.mounts
        ],
        networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=spec.network)]
        if spec.network
        else None,
        command=list(spec.command) if spec.command is not None else None,
        user=spec.user,
        labels=[docker.ContainerLabelArgs(label=AFTER_LABEL, value=after)] if after else None,
        **running,
    )


def go_duration(seconds: int) -> str:
    """`seconds` as Docker reports a duration back (Go's format: 60 is "1m0s"); any other
    spelling is a difference the next preview would show forever."""
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds}s" if minutes else f"{seconds}s"


def _secret_env(name: str, value: pulumi.Output[str]) -> pulumi.Output[str]:
    return pulumi.Output.secret(pulumi.Output.concat(name, "=", value))
