"""What `python3 -m tools.pulumi` builds, and where each part is cached.

Each part is pinned by the go.mod and go.sum of its folder beside this file and cached under
~/.cache/ossgameforge/pulumi/bin/, keyed by version and pins (Go's caches sit beside it).
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# What the CLI needs to run with no Pulumi service and no download server.
OFFLINE_ENV = {
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_SKIP_UPDATE_CHECK": "true",
}
# `pulumi login --local`'s backend: stacks under ~/.pulumi/stacks, whatever PULUMI_HOME is.
LOCAL_BACKEND = "file://~"


def cache() -> Path:
    """Binaries and Go's caches: ~/.cache/ossgameforge/pulumi (XDG_CACHE_HOME moves it)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ossgameforge/pulumi"


def pulumi_home() -> Path:
    """The CLI's PULUMI_HOME (plugins, workspace settings), ours so that the rebuilt docker
    plugin never meets an official one of the same version in ~/.pulumi/plugins."""
    return cache() / "home"


@dataclass(frozen=True)
class Part:
    title: str
    folder: str  # beside this file: its go.mod (which pins `module`) and go.sum
    module: str
    package: str
    binary: str
    version: str  # what the binary reports: the release the pinned module is
    version_var: str  # set to `version` at link time
    tags: str
    # A generator package of the folder's module: built and run as `GEN schema --skip-examples
    # --out DIR` into a staging copy of the module before the binary is built; it writes these
    # files, which the binary embeds, and the first is kept beside the binary.
    generator: str | None = None
    generated: tuple[str, ...] = ()

    def bin_dir(self) -> Path:
        """Where the binary is cached: keyed by version, by the folder's pins and by its own
        code (the docker provider's ProviderInfo, say): an edit to any of them rebuilds."""
        pins = hashlib.sha256(self.version.encode())
        for name in ("go.mod", "go.sum"):
            if (self.source() / name).exists():
                pins.update((self.source() / name).read_bytes())
        pinned = {self.source() / "go.mod", self.source() / "go.sum"}
        for path in sorted(self.source().rglob("*")):
            if path.is_file() and path not in pinned:
                pins.update(str(path.relative_to(self.source())).encode() + path.read_bytes())
        return cache() / "bin" / f"{self.folder}-{self.version}-{pins.hexdigest()[:12]}"

    # Hooks for parts defined elsewhere (tools/k8s overrides them).
    def source(self) -> Path:
        """The folder of the part's go.mod and go.sum."""
        return HERE / self.folder

    def ldflags(self) -> str:
        return f"-s -w -X {self.version_var}={self.version}"

    def prepare(self) -> Path | None:
        """Run after `go mod download`: a folder to build in instead of source() (a staged
        copy, say), or None."""
        return None


CLI = Part(
    "the Pulumi CLI",
    "cli",
    "github.com/pulumi/pulumi/pkg/v3",
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    "pulumi",
    "v3.274.1",
    "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version",
    "osusergo,grpcnotrace",
)
_DOCKER_MODULE = "github.com/terraform-providers/terraform-provider-docker/ossgameforge-pulumi"
DOCKER = Part(
    "the docker provider",
    "docker",
    _DOCKER_MODULE,
    _DOCKER_MODULE,
    "pulumi-resource-docker",
    "5.1.0",  # the pulumi-docker Python package pinned in pyproject.toml asks for this one
    f"{_DOCKER_MODULE}/info.Version",
    "no_compose",
    generator="./tfgen",
    generated=("schema.json", "bridge-metadata.json"),
)
PARTS = (CLI, DOCKER)


def docker_schema() -> Path | None:
    """The docker provider's schema.json, as the bridge's tfgen wrote it when the provider was
    built; None while it is not built (`python3 -m tools.pulumi` builds it)."""
    schema = DOCKER.bin_dir() / "schema.json"
    return schema if (DOCKER.bin_dir() / DOCKER.binary).exists() and schema.exists() else None
