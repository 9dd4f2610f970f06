"""The API: its image, built from the repository's Dockerfile, and its container."""

import hashlib
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_docker as docker
from docker.utils.build import exclude_paths

from infra.config import StackConfig
from infra.containers import container_args
from infra.postgres import Postgres
from infra.spec import api_urls, backend, backend_build, migrate
from infra.spec_types import ImageBuild


@dataclass(frozen=True)
class BackendArgs:
    config: StackConfig
    database: Postgres | None = None  # None: mock mode


class Backend(pulumi.ComponentResource):
    """The API's image; on live, the one-shot migration it runs first as the owner; and the API's
    container, as the API's role."""

    image: docker.RemoteImage
    migrations: docker.Container | None
    container: docker.Container

    def __init__(
        self, name: str, args: BackendArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:infra:Backend", name, None, opts)
        build = backend_build(args.config)
        digest = context_digest(build)
        # Built by the engine's docker provider (BuildKit in dockerd). Without the trigger the
        # image would never be rebuilt: `build` itself only names the context folder. Tagged by
        # its context too: replacing it deletes the old image by its tag, which must not be the
        # new image's.
        self.image = docker.RemoteImage(
            f"{name}-image",
            name=content_tag(build.tag, digest),
            build=docker.RemoteImageBuildArgs(
                context=str(build.context), build_args=dict(build.args)
            ),
            triggers={"context": digest},
            opts=pulumi.ResourceOptions(parent=self),
        )
        # By image ID, not tag: a rebuilt image replaces the containers. Their fixed names and
        # host port clash unless the old ones go first.
        fixed_name = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        database, self.migrations = args.database, None
        if database is None:
            spec = backend(args.config, None)
        else:
            self.migrations = docker.Container(
                f"{name}-migrations",
                container_args(
                    migrate(args.config, database.owner_url, database.api_url),
                    self.image.image_id,
                ),
                opts=pulumi.ResourceOptions.merge(
                    fixed_name, pulumi.ResourceOptions(depends_on=[database.container])
                ),
            )
            spec = backend(args.config, database.api_url)
        self.container = docker.Container(
            f"{name}-container",
            container_args(spec, self.image.image_id, after=migrated(self.migrations)),
            opts=pulumi.ResourceOptions.merge(
                fixed_name, pulumi.ResourceOptions(depends_on=self.migrations)
            ),
        )
        self.register_outputs(api_urls(args.config))


def migrated(migrations: docker.Container | None) -> pulumi.Output[str] | None:
    """The migration container's ID once it has exited 0; else the `up` fails with its last line
    of output (the migration's one-line reason)."""
    if migrations is None:
        return None

    def check(args: list[Any]) -> str:
        container, code, logs = args
        if code != 0:
            lines = [line for line in (logs or "").splitlines() if line.strip()]
            reason = lines[-1].removeprefix("error: ") if lines else "no output"
            raise pulumi.RunError(f"the migrations failed (exit code {code}): {reason}")
        return str(container)

    return pulumi.Output.all(migrations.id, migrations.exit_code, migrations.container_logs).apply(
        check
    )


def content_tag(image: str, digest: str) -> str:
    """`image`'s tag with the first 12 characters of `digest` appended (`:<digest>` if it has no
    tag): `ossgameforge/backend:live` is built as `ossgameforge/backend:live-1f0c9a2b3d4e`."""
    repository, _, tag = image.rpartition(":")
    if not repository or "/" in tag:  # no tag; the colon, if any, was a registry's port
        return f"{image}:{digest[:12]}"
    return f"{repository}:{tag}-{digest[:12]}"


def context_digest(build: ImageBuild) -> str:
    """A digest of what `docker build` reads: the files `.dockerignore` lets in, the Dockerfile
    and the `.dockerignore` included (docker-py's reading of `.dockerignore`, Docker's rules)."""
    ignore = build.context / ".dockerignore"
    lines = ignore.read_text().splitlines() if ignore.exists() else []
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    digest = hashlib.sha256()
    for name in sorted(exclude_paths(str(build.context), patterns, "Dockerfile")):
        path = build.context / name
        if path.is_file():
            digest.update(f"{name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()
