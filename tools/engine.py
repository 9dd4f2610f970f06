"""The Pulumi program on the real engine, in process: an automation-API inline program (the CLI
cannot start a Python program offline: the proxy refuses the Python language host) with a file
backend, in a folder of its own that holds a copy of the repository's `Pulumi.<stack>.yaml`.

    stack = open_stack("mock", work_dir=tmp, project="ogf-check", env=engine_env(tmp / "state"))
    stack.up()
"""

import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

from pulumi import automation as auto

from infra.config import NAMESPACE, REPO
from infra.program import program
from tools.pulumi.parts import OFFLINE_ENV

# What the backend image is built from (.dockerignore lets in no more).
CHECKOUT = (
    "app",
    "alembic",
    "alembic.ini",
    "Dockerfile",
    ".dockerignore",
    "pyproject.toml",
    "uv.lock",
)


def engine_env(state_dir: Path, passphrase: str | None = None) -> dict[str, str]:
    """A file backend in `state_dir` and a passphrase for the stacks' secrets."""
    state_dir.mkdir(parents=True, exist_ok=True)
    return {
        **OFFLINE_ENV,  # what the CLI needs beside PATH to run offline
        "PULUMI_BACKEND_URL": state_dir.resolve().as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase or secrets.token_urlsafe(24),
    }


def open_stack(stack: str, *, work_dir: Path, project: str, env: dict[str, str]) -> auto.Stack:
    """Stack `stack` of project `project` (which names its Docker objects `<project>-<stack>-*`),
    configured by a copy of `Pulumi.<stack>.yaml`; created if new."""
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / f"Pulumi.{stack}.yaml", work_dir / f"Pulumi.{stack}.yaml")
    options = auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        # Runtime options of the repository's Pulumi.yaml would send the CLI looking for the
        # Python language host; an inline program needs none.
        project_settings=auto.ProjectSettings(name=project, runtime="python"),
        env_vars={**env, "PATH": os.environ.get("PATH", "")},
    )
    return auto.create_or_select_stack(stack, project, program, opts=options)


def copy_checkout(destination: Path) -> Path:
    """A copy of what the backend image is built from (and `reload` mounts), to edit."""
    destination.mkdir(mode=0o755, parents=True)
    for name in CHECKOUT:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def set_config(stack: auto.Stack, values: Mapping[str, str], *, secret: bool = False) -> None:
    """Set `ossgameforge:<key>` values (secret ones encrypted in the stack file)."""
    config = {
        f"{NAMESPACE}:{key}": auto.ConfigValue(value, secret) for key, value in values.items()
    }
    stack.set_all_config(config)
