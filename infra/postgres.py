"""The live stack's database: its network, data volume, image and container."""

from dataclasses import dataclass
from functools import partial

import pulumi
import pulumi_docker as docker

from infra import roles
from infra.config import StackConfig
from infra.containers import container_args
from infra.spec import network_name, postgres, volume_name


@dataclass(frozen=True)
class PostgresArgs:
    config: StackConfig
    password: pulumi.Output[str]


class Postgres(pulumi.ComponentResource):
    container: docker.Container
    network: docker.Network
    # Secret URLs: the owner's and the API's role's on the stack's network, and the API's
    # role's as this machine reaches it (if postgresPort publishes it, else on the network).
    owner_url: pulumi.Output[str]
    api_url: pulumi.Output[str]
    host_api_url: pulumi.Output[str]

    def __init__(
        self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:infra:Postgres", name, None, opts)
        spec = postgres(args.config, args.password)
        # Fixed Docker names clash if a replacement is created before the old one is gone.
        fixed_name = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        self.network = docker.Network(
            f"{name}-network", name=network_name(args.config), opts=fixed_name
        )
        # The data outlives container replacement, `pulumi destroy`, and a replacement of this
        # resource (re-creating a volume under an existing name adopts it).
        volume = docker.Volume(
            f"{name}-data",
            name=volume_name(args.config),
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )
        image = docker.RemoteImage(
            f"{name}-image",
            name=args.config.postgres_image,
            keep_locally=True,  # other stacks and tools use it too
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.container = docker.Container(
            f"{name}-container",
            container_args(spec, image.image_id),
            opts=pulumi.ResourceOptions.merge(
                fixed_name, pulumi.ResourceOptions(depends_on=[self.network, volume])
            ),
        )
        self.owner_url = args.password.apply(partial(roles.owner_url, args.config))
        self.api_url = args.password.apply(partial(roles.api_url, args.config))
        published = args.config.postgres_port is not None
        self.host_api_url = args.password.apply(
            partial(roles.api_url, args.config, from_host=published)
        )
        self.register_outputs({"database_url": self.host_api_url})
