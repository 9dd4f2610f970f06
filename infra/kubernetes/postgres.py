"""The live stack's database on Kubernetes: a StatefulSet of one Postgres whose data is on a
volume claim the StatefulSet makes (and keeps after `destroy`: the claim retention policy), and
the headless Service that gives it its name on the cluster's DNS."""

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from infra.kubernetes.containers import Resources, container, pod
from infra.kubernetes.objects import Placement
from infra.spec import POSTGRES_PORT
from infra.spec_types import ContainerSpec

core, apps = k8s.core.v1, k8s.apps.v1
COMPONENT = "postgres"
CLAIM = "data"  # the StatefulSet names its claim data-<statefulset>-0
DATA_SIZE = "1Gi"
# A volume's root may hold lost+found, and initdb wants an empty folder: PGDATA one level down.
PGDATA_DIR = "pgdata"
RESOURCES = Resources(cpu="100m", memory="256Mi", cpu_limit="1", memory_limit="1Gi")
KEEP = "Retain"


@dataclass(frozen=True)
class PostgresArgs:
    placement: Placement
    spec: ContainerSpec  # infra.spec.postgres: its password comes from the stack's Secret


class Postgres(pulumi.ComponentResource):
    service: core.Service
    stateful_set: apps.StatefulSet

    def __init__(
        self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:kubernetes:Postgres", name, None, opts)
        placement, spec = args.placement, args.spec
        (data,) = spec.mounts
        child = pulumi.ResourceOptions(parent=self)
        self.service = core.Service(
            f"{name}-service",
            metadata=placement.metadata(spec.name, COMPONENT),
            spec=core.ServiceSpecArgs(
                cluster_ip="None",  # headless: the name resolves to the Pod once it is ready
                selector=placement.labels(COMPONENT),
                ports=[core.ServicePortArgs(name=COMPONENT, port=POSTGRES_PORT)],
            ),
            opts=child,
        )
        server = container(
            spec,
            placement.config.postgres_image,
            placement,
            name=COMPONENT,
            resources=RESOURCES,
            ports={COMPONENT: POSTGRES_PORT},
            env={"PGDATA": f"{data.path}/{PGDATA_DIR}"},
            mounts=[core.VolumeMountArgs(name=CLAIM, mount_path=data.path)],
        )
        claim = core.PersistentVolumeClaimArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(name=CLAIM, labels=placement.labels(COMPONENT)),
            spec=core.PersistentVolumeClaimSpecArgs(
                access_modes=["ReadWriteOnce"],
                resources=core.VolumeResourceRequirementsArgs(requests={"storage": DATA_SIZE}),
            ),
        )
        self.stateful_set = apps.StatefulSet(
            f"{name}-statefulset",
            metadata=placement.metadata(spec.name, COMPONENT),
            spec=apps.StatefulSetSpecArgs(
                service_name=self.service.metadata.name,
                replicas=1,
                selector=placement.selector(COMPONENT),
                template=core.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(labels=placement.labels(COMPONENT)),
                    spec=pod([server]),
                ),
                volume_claim_templates=[claim],
                # The data outlives the StatefulSet (and `destroy`), as the Docker volume does.
                persistent_volume_claim_retention_policy=(
                    apps.StatefulSetPersistentVolumeClaimRetentionPolicyArgs(
                        when_deleted=KEEP, when_scaled=KEEP
                    )
                ),
            ),
            opts=child,
        )
        self.register_outputs({"service": self.service.metadata.name})
