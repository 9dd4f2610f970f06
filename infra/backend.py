"""The API: its image, built from the repository's Dockerfile, and its container."""

import os
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from infra.config import StackConfig
from infra.containers import container_args
from infra.spec import api_url, backend, backend_build, health_url


@dataclass(frozen=True)
class BackendArgs:
    config: StackConfig
    database_url: pulumi.Output[str] | None = None  # None: mock mode
    postgres: docker.Container | None = None  # healthy before the backend starts


class Backend(pulumi.ComponentResource):
    image: docker.Image
    container: docker.Container
    api_url: str
    health_url: str

    def __init__(
        self, name: str, args: BackendArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:infra:Backend", name, None, opts)
        build = backend_build(args.config)
        self.image = docker.Image(
            f"{name}-image",
            image_name=build.tag,
            build=docker.DockerBuildArgs(
                context=os.path.relpath(build.context), args=dict(build.args)
            ),
            skip_push=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        spec = backend(args.config, args.database_url)
        # By image ID (a local build's repo_digest), not tag: a rebuilt image replaces the
        # container. Its fixed name and host port clash unless the old one goes first.
        self.container = docker.Container(
            f"{name}-container",
            container_args(spec, self.image.repo_digest),
            opts=pulumi.ResourceOptions(
                parent=self,
                delete_before_replace=True,
                depends_on=[args.postgres] if args.postgres else None,
            ),
        )
        self.api_url = api_url(args.config)
        self.health_url = health_url(args.config)
        self.register_outputs({"api_url": self.api_url, "health_url": self.health_url})
