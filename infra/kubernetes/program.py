"""The stack on Kubernetes (ossgameforge:target kubernetes), through the provider's usual
kubeconfig and context (KUBECONFIG): a Namespace named after the stack, and in it

- mock: the backend alone (Deployment, Service, PodDisruptionBudget), MOCK_MODE=true;
- live: a Secret of the passwords and URLs, Postgres (StatefulSet, headless Service; not with
  externalDatabaseUrl, a managed database), the migration Job, then the backend.

`destroy` keeps what holds data: with Postgres in the cluster, the Namespace (retain_on_delete)
and in it the data's volume claim (the StatefulSet's retention policy), as the Docker target
keeps its volume. `kubectl delete namespace <namespace>` wipes them."""

from dataclasses import dataclass
from functools import partial

import pulumi
import pulumi_kubernetes as k8s

from infra import roles, spec
from infra.config import NAMESPACE, StackConfig, StackConfigError, refuse_plain_text
from infra.kubernetes.backend import Backend, BackendArgs
from infra.kubernetes.migrations import Migrations, MigrationsArgs
from infra.kubernetes.objects import Placement, stack_labels
from infra.kubernetes.postgres import Postgres, PostgresArgs
from infra.spec_types import ContainerSpec

POD_SECURITY = "pod-security.kubernetes.io/enforce"


@dataclass(frozen=True)
class Database:
    """The URLs of the live stack's database (secrets), and the spec of its Postgres when that
    runs in the cluster (None: a managed database)."""

    owner_url: pulumi.Output[str]
    api_url: pulumi.Output[str]
    exported_url: pulumi.Output[str]  # the API's role's, as any Pod of the cluster reaches it
    postgres: ContainerSpec | None


def cluster_host(name: str, namespace: str) -> str:
    return f"{name}.{namespace}.svc.cluster.local"


def database(config: StackConfig, stack_config: pulumi.Config) -> Database:
    """A managed database's URLs (externalDatabaseUrl), else Postgres in the cluster's
    (dbPassword); with neither set the program stops naming both keys."""
    external = stack_config.get(roles.EXTERNAL_KEY)  # checked here, then only ever a secret
    if external is not None:
        refuse_plain_text(roles.EXTERNAL_KEY)
        api = pulumi.Output.secret(roles.external_api_url(config, external))
        return Database(pulumi.Output.secret(external), api, api, None)
    password = stack_config.get_secret("dbPassword")
    if password is None:
        raise StackConfigError(
            f"{NAMESPACE}:dbPassword is not set: `pulumi config set --secret dbPassword`, or set "
            f"{NAMESPACE}:{roles.EXTERNAL_KEY} to the owner's URL of a managed database"
        )
    refuse_plain_text("dbPassword")
    host = cluster_host(spec.postgres_name(config), config.prefix)
    return Database(
        owner_url=password.apply(partial(roles.owner_url, config)),
        api_url=password.apply(partial(roles.api_url, config)),
        exported_url=password.apply(partial(roles.api_url, config, host=host)),
        postgres=spec.postgres(config, password),
    )


def kubernetes(config: StackConfig, stack_config: pulumi.Config) -> dict[str, pulumi.Input[str]]:
    """The stack's objects; returns its exports."""
    live = None if config.mock_mode else database(config, stack_config)
    keeps_data = live is not None and live.postgres is not None
    # Pod Security admission refuses Pods that need more: the restricted standard, baseline
    # where Postgres runs (its entrypoint starts as root and drops to its own user).
    security = {POD_SECURITY: "baseline" if keeps_data else "restricted"}
    namespace = k8s.core.v1.Namespace(
        "namespace",
        metadata=k8s.meta.v1.ObjectMetaArgs(
            name=config.prefix, labels={**stack_labels(config), **security}
        ),
        opts=pulumi.ResourceOptions(retain_on_delete=keeps_data),
    )
    url = f"http://{cluster_host(spec.backend_name(config), config.prefix)}:{spec.API_PORT}"
    exports: dict[str, pulumi.Input[str]] = {
        "namespace": namespace.metadata.name,
        **spec.api_urls(config, url),
    }
    if live is None:
        Backend(
            "backend",
            BackendArgs(Placement(config, namespace.metadata.name), spec.backend(config, None)),
        )
        return exports
    specs = [
        *([live.postgres] if live.postgres else []),
        migrate := spec.migrate(config, live.owner_url, live.api_url),
        backend := spec.backend(config, live.api_url),
    ]
    # Named by the provider (database-<random>): a Secret's data can't change in place, and a
    # new name changes the Pods that read it, so they run again with the new values.
    secret = k8s.core.v1.Secret(
        "database",
        metadata=k8s.meta.v1.ObjectMetaArgs(
            namespace=namespace.metadata.name, labels=stack_labels(config)
        ),
        type="Opaque",
        string_data={key: value for each in specs for key, value in each.secret_env.items()},
    )
    placement = Placement(config, namespace.metadata.name, secret.metadata.name)
    after = []
    if live.postgres is not None:
        after.append(Postgres("postgres", PostgresArgs(placement, live.postgres)))
    migrations = Migrations("migrations", MigrationsArgs(placement, migrate, after))
    Backend("backend", BackendArgs(placement, backend, migrations))
    return {**exports, "database_url": live.exported_url}
