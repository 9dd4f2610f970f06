"""The live stack's database: its network, data volume, image and container."""

from dataclasses import dataclass
from functools import partial

import pulumi
import pulumi_docker as docker

from infra.config import StackConfig
from infra.containers import container_args
from infra.spec import database_url, network_name, postgres, volume_name


@dataclass(frozen=True)
class PostgresArgs:
    config: StackConfig
    password: pulumi.Output[str]


class Postgres(pulumi.ComponentResource):
    container: docker.Container
    network: docker.Network
    database_url: pulumi.Output[str]  # as the backend reaches it, on the stack's network; secret

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
            name=spec.image,
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
        self.database_url = args.password.apply(partial(database_url, args.config))
        self.register_outputs({"database_url": self.database_url})
