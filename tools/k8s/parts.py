"""What the local control plane and the Pulumi kubernetes provider are built from, and how.

Each part is pinned by the go.mod and go.sum of its folder beside this file and built by
tools.pulumi's machinery with its Go caches, so modules shared with the Pulumi CLI are fetched
once. Binaries are cached under ~/.cache/ossgameforge/k8s/bin/, keyed by binary, version and pins.
"""

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tools.pulumi import parts as pulumi
from tools.pulumi.build import build, go, run
from tools.pulumi.parts import CLI, Part
from tools.pulumi.plugin import install

HERE = Path(__file__).resolve().parent
KUBE_VERSION = "v1.36.3"  # the k8s.io/kubernetes that kubernetes/go.mod pins
# The pulumi-kubernetes release whose commit provider/go.mod pins: pyproject.toml's
# pulumi-kubernetes==4.25.0 asks the engine for the kubernetes provider of this version.
PROVIDER_VERSION = "4.25.0"
PROVIDER_MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4"
PROVIDER_MAIN = "cmd/pulumi-resource-kubernetes"  # embeds two files its module zip lacks


def cache() -> Path:
    """~/.cache/ossgameforge/k8s (XDG_CACHE_HOME moves it), beside tools.pulumi's cache."""
    return pulumi.cache().parent / "k8s"


@dataclass(frozen=True)
class K8sPart(Part):
    more_ldflags: tuple[str, ...] = ()

    def source(self) -> Path:
        return HERE / self.folder

    def bin_dir(self) -> Path:
        """Keyed by binary too: several parts share one go.mod."""
        pins = hashlib.sha256(self.version.encode())
        for name in ("go.mod", "go.sum"):
            pins.update((self.source() / name).read_bytes())
        return cache() / "bin" / f"{self.binary}-{self.version}-{pins.hexdigest()[:12]}"

    def ldflags(self) -> str:
        return " ".join([super().ldflags(), *self.more_ldflags])

    def path(self) -> Path:
        return self.bin_dir() / self.binary


@dataclass(frozen=True)
class ProviderPart(K8sPart):
    def prepare(self) -> Path:
        """A copy of our module with the provider's main package in it, its embeds generated."""
        listed = go(self, "list", "-m", "-json", PROVIDER_MODULE, cwd=self.source())
        main = Path(json.loads(listed)["Dir"]) / PROVIDER_MAIN
        stage = cache() / "src" / self.bin_dir().name
        shutil.rmtree(stage, ignore_errors=True)
        (stage / PROVIDER_MAIN).mkdir(parents=True)
        for file in main.iterdir():  # writable copies: the module cache's files are read-only
            shutil.copyfile(file, stage / PROVIDER_MAIN / file.name)
        for name in ("go.mod", "go.sum"):
            shutil.copyfile(self.source() / name, stage / name)
        # What the provider's `go generate` runs: schema.json with the version, both compacted.
        run(
            self,
            ["go", "run", "./generate.go"],
            cwd=stage / PROVIDER_MAIN,
            what="`go run generate.go`",
            env={"VERSION": self.version},
        )
        return stage


def kube(binary: str) -> K8sPart:
    major, minor, _ = KUBE_VERSION.removeprefix("v").split(".")
    flags = [
        f"-X {package}.{name}={value}"
        for package in ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")
        for name, value in (("gitVersion", KUBE_VERSION), ("gitMajor", major), ("gitMinor", minor))
    ]
    return K8sPart(
        binary,
        "kubernetes",
        "k8s.io/kubernetes",
        f"k8s.io/kubernetes/cmd/{binary}",
        binary,
        KUBE_VERSION,
        "k8s.io/component-base/version.gitVersion",  # flags[0]
        "",
        more_ldflags=tuple(flags[1:]),
    )


ETCD = K8sPart(
    "etcd",
    "etcd",
    "go.etcd.io/etcd/server/v3",
    "go.etcd.io/etcd/server/v3",
    "etcd",
    "3.6.8",
    "go.etcd.io/etcd/api/v3/version.Version",  # already 3.6.8 in that release
    "",
)
APISERVER = kube("kube-apiserver")
CONTROLLER_MANAGER = kube("kube-controller-manager")
SCHEDULER = kube("kube-scheduler")
KUBECTL = kube("kubectl")
PROVIDER = ProviderPart(
    "the Pulumi kubernetes provider",
    "provider",
    PROVIDER_MODULE,
    f"ossgameforge.local/tools/k8s/provider/{PROVIDER_MAIN}",  # the staged copy of its main
    "pulumi-resource-kubernetes",
    PROVIDER_VERSION,
    f"{PROVIDER_MODULE}/pkg/version.Version",
    "",
)
PARTS = (ETCD, APISERVER, CONTROLLER_MANAGER, SCHEDULER, KUBECTL, PROVIDER)
# Built on request only (`build --only kubelet`): a node is experimental (see README).
KUBELET = kube("kubelet")


def pulumi_cli() -> Path:
    """The Pulumi CLI of tools.pulumi (built there if it is not cached)."""
    return build(CLI) / CLI.binary


def build_all(parts: tuple[K8sPart, ...] = PARTS) -> dict[str, Path]:
    """Each part's binary by name, built first where not cached; the provider installed too."""
    binaries = {part.binary: build(part) / part.binary for part in parts}
    if PROVIDER in parts:  # into tools.pulumi's PULUMI_HOME, beside the docker provider
        install(PROVIDER, PROVIDER.bin_dir(), cli_dir=pulumi_cli().parent)
    return binaries
