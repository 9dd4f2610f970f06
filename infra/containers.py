"""A `ContainerSpec` as the arguments of a `pulumi_docker.Container`."""

import pulumi
import pulumi_docker as docker

from infra.spec import ContainerSpec

# Upper bound for `wait`: Postgres initialising a new data volume takes the longest.
WAIT_TIMEOUT_S = 120


def container_args(
    spec: ContainerSpec[pulumi.Output[str]], image: pulumi.Input[str]
) -> docker.ContainerArgs:
    """Arguments for `spec`'s container running `image`; `pulumi up` waits until it is healthy."""
    health = spec.healthcheck
    secret_envs = [_secret_env(name, value) for name, value in spec.secret_env.items()]
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
            interval=f"{health.interval_s}s",
            timeout=f"{health.timeout_s}s",
            retries=health.retries,
            start_period=f"{health.start_period_s}s",
        ),
        volumes=[
            docker.ContainerVolumeArgs(volume_name=mount.volume, container_path=mount.path)
            for mount in spec.mounts
        ],
        networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=spec.network)]
        if spec.network
        else None,
        command=list(spec.command) if spec.command is not None else None,
        user=spec.user,
        restart=spec.restart,
        wait=True,
        wait_timeout=WAIT_TIMEOUT_S,
    )


def _secret_env(name: str, value: pulumi.Output[str]) -> pulumi.Output[str]:
    return pulumi.Output.secret(pulumi.Output.concat(name, "=", value))
