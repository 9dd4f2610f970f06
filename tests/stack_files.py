"""The repository's stack files, read as Pulumi hands their values to the program."""

from pathlib import Path

import yaml

from infra.config import NAMESPACE, REPO


def stack_file(stack: str, repo: Path = REPO) -> dict[str, str]:
    """The plain `ossgameforge:*` values of `Pulumi.<stack>.yaml`, as strings the way Pulumi
    hands them to the program, keys without the namespace. Secrets (`secure:`) are left out."""
    document = yaml.safe_load((repo / f"Pulumi.{stack}.yaml").read_text()) or {}
    values: dict[str, str] = {}
    for key, value in (document.get("config") or {}).items():
        namespace, _, name = str(key).rpartition(":")
        if namespace == NAMESPACE and not isinstance(value, dict):
            values[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return values
