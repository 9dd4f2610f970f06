"""The live stack's migration step on Kubernetes: a Job that runs `python -m app.migrate` once, in
the backend's image, as the schema's owner (it also sets up the API's role).

The backend's Deployment depends on it. The provider awaits a Job until it has completed, so with
waitForReady (the default) the Deployment is created, or changed, only after the migration
succeeded, and a failed one stops `up` with the Job's reason. With waitForReady false the Job is
not awaited (there may be no node to run it): the Deployment follows at once, and its Pods are not
ready (no traffic) until the Job has made the API's role, whose login `/health/ready` needs."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from infra.kubernetes.containers import Resources, container, pod
from infra.kubernetes.objects import Placement
from infra.spec_types import ContainerSpec

COMPONENT = "migrate"
RESOURCES = Resources(cpu="100m", memory="128Mi", cpu_limit="1", memory_limit="512Mi")
# Retries (each a new Pod, so a failed one's log stays to read), 10, 20 and 40 s apart, while
# the database comes up. Six would wait 10.5 min in all: past the provider's 10 minutes for a Job,
# and `up` would end on that timeout instead of the migration's reason.
BACKOFF_LIMIT = 3
# With waitForReady, a Job that failed when `up` awaited it is made again by the next `up`, which
# runs the migration again, as the Docker target's step does; else `up` would await it forever.
# (Without, the provider would replace a Job at every `up` until it completes: a perpetual diff.)
REPLACE_UNREADY = {"pulumi.com/replaceUnready": "true"}


@dataclass(frozen=True)
class MigrationsArgs:
    placement: Placement
    spec: ContainerSpec  # infra.spec.migrate: its URLs come from the stack's Secret
    after: Sequence[pulumi.Resource] = ()  # the database, when it runs in the cluster


class Migrations(pulumi.ComponentResource):
    job: k8s.batch.v1.Job

    def __init__(
        self, name: str, args: MigrationsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:kubernetes:Migrations", name, None, opts)
        placement, spec = args.placement, args.spec
        step = container(
            spec, placement.config.backend_image, placement, name=COMPONENT, resources=RESOURCES
        )
        # No ttlSecondsAfterFinished: a Job the cluster deletes by itself would be made again by
        # the next `up` after a refresh. Its Pod template can't change: a new image replaces the
        # Job (deleted first: its name is fixed), which runs the migration again.
        self.job = k8s.batch.v1.Job(
            f"{name}-job",
            metadata=placement.metadata(
                spec.name,
                COMPONENT,
                annotations=REPLACE_UNREADY if placement.config.wait_for_ready else None,
            ),
            spec=k8s.batch.v1.JobSpecArgs(
                backoff_limit=BACKOFF_LIMIT,
                template=k8s.core.v1.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(labels=placement.labels(COMPONENT)),
                    spec=pod([step], restart_policy="Never"),
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.after)),
        )
        self.register_outputs({"job": self.job.metadata.name})
