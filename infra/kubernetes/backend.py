"""The API on Kubernetes: a Deployment of `replicas` Pods of the backend image (which the cluster
must be able to pull: nothing is built on this target), the Service in front of them, and a
PodDisruptionBudget that keeps one serving while a node is drained."""

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from infra.kubernetes.containers import Resources, container, pod
from infra.kubernetes.migrations import Migrations
from infra.kubernetes.objects import Placement
from infra.spec import API_PORT
from infra.spec_types import ContainerSpec

core, apps = k8s.core.v1, k8s.apps.v1
COMPONENT = "backend"
PORT = "http"
RESOURCES = Resources(cpu="100m", memory="128Mi", cpu_limit="1", memory_limit="512Mi")


@dataclass(frozen=True)
class BackendArgs:
    placement: Placement
    spec: ContainerSpec  # infra.spec.backend: DATABASE_URL (live) from the stack's Secret
    migrations: Migrations | None = None  # live: the Deployment waits for them


class Backend(pulumi.ComponentResource):
    deployment: apps.Deployment
    service: core.Service
    disruption_budget: k8s.policy.v1.PodDisruptionBudget | None

    def __init__(
        self, name: str, args: BackendArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ossgameforge:kubernetes:Backend", name, None, opts)
        placement, spec = args.placement, args.spec
        config = placement.config
        api = container(
            spec,
            config.backend_image,
            placement,
            name=COMPONENT,
            resources=RESOURCES,
            ports={PORT: API_PORT},
        )
        after = [args.migrations.job] if args.migrations else []
        self.deployment = apps.Deployment(
            f"{name}-deployment",
            metadata=placement.metadata(spec.name, COMPONENT),
            spec=apps.DeploymentSpecArgs(
                replicas=config.replicas,
                selector=placement.selector(COMPONENT),
                template=core.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(labels=placement.labels(COMPONENT)),
                    spec=pod([api]),
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=after),
        )
        self.service = core.Service(
            f"{name}-service",
            metadata=placement.metadata(spec.name, COMPONENT),
            spec=core.ServiceSpecArgs(
                selector=placement.labels(COMPONENT),
                ports=[core.ServicePortArgs(name=PORT, port=API_PORT, target_port=PORT)],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.disruption_budget = None
        if config.replicas > 1:  # with one, a budget of one would block every drain
            self.disruption_budget = k8s.policy.v1.PodDisruptionBudget(
                f"{name}-disruption-budget",
                metadata=placement.metadata(spec.name, COMPONENT, awaited=False),
                spec=k8s.policy.v1.PodDisruptionBudgetSpecArgs(
                    min_available=1, selector=placement.selector(COMPONENT)
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({"service": self.service.metadata.name})
