"""The `ossgameforge` Pulumi program: stack config in, components composed, URLs out."""

import os
import sys
from pathlib import Path

# `pulumi up` runs this file from infra/; the package imports below need the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pulumi

from infra.backend import Backend, BackendArgs
from infra.config import read_config
from infra.postgres import Postgres, PostgresArgs

pulumi_config = pulumi.Config()
config = read_config(
    pulumi_config.get, prefix=f"{pulumi.get_project()}-{pulumi.get_stack()}", environ=os.environ
)
if config.mock_mode:
    api = Backend("backend", BackendArgs(config))
else:
    password = pulumi_config.require_secret("dbPassword")
    database = Postgres("postgres", PostgresArgs(config, password))
    api = Backend(
        "backend",
        BackendArgs(config, database_url=database.database_url, postgres=database.container),
    )
    pulumi.export("database_url", database.database_url)
pulumi.export("api_url", api.api_url)
pulumi.export("health_url", api.health_url)
