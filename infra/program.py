"""The `ossgameforge` Pulumi program: stack config in, components composed, URLs out.

`pulumi up` runs it through `infra/__main__.py`; the automation API runs `program` inline.
`ossgameforge:target` picks the target: the local Docker engine (here), or a Kubernetes cluster
(infra/kubernetes/); both read the one config and the one description of what runs (spec.py)."""

import os

import pulumi

from infra.backend import Backend, BackendArgs
from infra.config import NAMESPACE, StackConfig, read_config, refuse_plain_text
from infra.kubernetes.program import kubernetes
from infra.postgres import Postgres, PostgresArgs
from infra.spec import api_urls


def program() -> None:
    stack_config = pulumi.Config(NAMESPACE)
    config = read_config(
        stack_config.get, prefix=f"{pulumi.get_project()}-{pulumi.get_stack()}", environ=os.environ
    )
    if config.target == "kubernetes":
        exports = kubernetes(config, stack_config)
    else:
        exports = docker(config, stack_config)
    for name, value in exports.items():
        pulumi.export(name, value)


def docker(config: StackConfig, stack_config: pulumi.Config) -> dict[str, pulumi.Input[str]]:
    """The stack's containers on the local Docker engine; returns its exports."""
    exports: dict[str, pulumi.Input[str]] = dict(api_urls(config))
    if config.mock_mode:
        Backend("backend", BackendArgs(config))
    else:
        password = stack_config.require_secret("dbPassword")
        refuse_plain_text("dbPassword")
        database = Postgres("postgres", PostgresArgs(config, password))
        Backend("backend", BackendArgs(config, database))
        exports["database_url"] = database.host_api_url
    return exports
