"""What every Kubernetes object of a stack shares: its namespace, its labels (defined here once,
used for metadata, selectors and pod templates alike) and whether the provider awaits it."""

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from infra.config import StackConfig

PROJECT = "ossgameforge"
# The provider then reports the object created as soon as the API server accepted it, instead of
# waiting for it to be ready (a Deployment available, a Job complete, a Service with endpoints).
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}


def stack_labels(config: StackConfig) -> dict[str, str]:
    return {"app.kubernetes.io/name": PROJECT, "app.kubernetes.io/instance": config.prefix}


@dataclass(frozen=True)
class Placement:
    """Where a stack's objects go: the stack's config, its namespace once that exists, and the
    name of the Secret holding its passwords and URLs (None on a mock stack: there is none)."""

    config: StackConfig
    namespace: pulumi.Input[str]
    secret: pulumi.Input[str] | None = None

    def labels(self, component: str) -> dict[str, str]:
        """The labels of `component`'s objects, which its selectors match exactly."""
        return {**stack_labels(self.config), "app.kubernetes.io/component": component}

    def metadata(
        self,
        name: str,
        component: str,
        *,
        awaited: bool = True,
        annotations: dict[str, str] | None = None,
    ) -> k8s.meta.v1.ObjectMetaArgs:
        """`component`'s object called `name`, with `annotations`; one the provider `awaited`
        (a workload, a Service) is marked not to be when waitForReady is false."""
        skip = SKIP_AWAIT if awaited and not self.config.wait_for_ready else {}
        return k8s.meta.v1.ObjectMetaArgs(
            name=name,
            namespace=self.namespace,
            labels=self.labels(component),
            annotations={**skip, **(annotations or {})} or None,
        )

    def selector(self, component: str) -> k8s.meta.v1.LabelSelectorArgs:
        return k8s.meta.v1.LabelSelectorArgs(match_labels=self.labels(component))

    def secret_env(self, name: str) -> k8s.core.v1.EnvVarArgs:
        """Variable `name` from the stack's Secret, which holds it under that name."""
        if self.secret is None:
            raise ValueError(f"{name} is a secret, and a mock stack has no Secret")
        key = k8s.core.v1.SecretKeySelectorArgs(name=self.secret, key=name)
        return k8s.core.v1.EnvVarArgs(
            name=name, value_from=k8s.core.v1.EnvVarSourceArgs(secret_key_ref=key)
        )
