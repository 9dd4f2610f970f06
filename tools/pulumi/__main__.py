"""The Pulumi CLI and its plugins, built from their Go modules (no Pulumi download server).

`eval "$(python3 -m tools.pulumi --print-env)"` builds what is not cached yet (progress on
stderr), then prints `export` lines: PATH with the binaries first, and the variables that keep
the CLI offline. Each part is pinned by the go.mod and go.sum of its folder beside this file and
cached under ~/.cache/ossgameforge/pulumi/ (Go's caches too), keyed by version and pins.
Standard library only: it runs on the machine's python3, like `python3 -m tools.images`.
"""

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERSION_VAR = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
# What the CLI needs to run with no Pulumi service and no download server.
OFFLINE_ENV = {
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_SKIP_UPDATE_CHECK": "true",
}


def cache() -> Path:
    """Binaries and Go's caches: ~/.cache/ossgameforge/pulumi (XDG_CACHE_HOME moves it)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ossgameforge/pulumi"


class BuildError(Exception):
    """A part that could not be built; the message is one line naming it and why."""


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
    sdk_files: tuple[str, ...] = ()  # files of the pulumi sdk/v3 module copied beside the binary

    def bin_dir(self) -> Path:
        """Where the binary is cached: keyed by version and by the folder's pins."""
        pins = hashlib.sha256(self.version.encode())
        for name in ("go.mod", "go.sum"):
            if (HERE / self.folder / name).exists():
                pins.update((HERE / self.folder / name).read_bytes())
        return cache() / "bin" / f"{self.folder}-{self.version}-{pins.hexdigest()[:12]}"


PARTS = (
    Part(
        "the Pulumi CLI",
        "cli",
        "github.com/pulumi/pulumi/pkg/v3",
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        "pulumi",
        "v3.274.1",
        VERSION_VAR,
        "osusergo,grpcnotrace",
    ),
    Part(
        "the Python language host",
        "python-host",
        "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
        "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
        "pulumi-language-python",
        "v3.259.0",
        VERSION_VAR,
        "osusergo,grpcnotrace",
        sdk_files=("python/cmd/pulumi-language-python-exec",),
    ),
    Part(
        "the docker provider",
        "docker",
        "github.com/pulumi/pulumi-docker/provider/v5",
        "github.com/pulumi/pulumi-docker/provider/v5/cmd/pulumi-resource-docker",
        "pulumi-resource-docker",
        "5.1.0",  # the pulumi-docker Python package pinned in pyproject.toml asks for this one
        "github.com/pulumi/pulumi-docker/provider/v5/pkg/version.Version",
        "no_compose",
    ),
)


def say(message: str) -> None:
    print(f"pulumi: {message}", file=sys.stderr, flush=True)


def go_env() -> dict[str, str]:
    return {
        **os.environ,
        "GOMODCACHE": str(cache() / "go/mod"),
        "GOCACHE": str(cache() / "go/build"),
        "GOFLAGS": "-buildvcs=false -mod=readonly",
        "CGO_ENABLED": "0",
    }


def go(part: Part, *args: str, cwd: Path) -> str:
    """Run `go args` for `part`; on failure raise its most telling line."""
    if shutil.which("go") is None:
        raise BuildError(f"{part.title}: `go` is not on PATH: install Go 1.26 or newer")
    done = subprocess.run(
        ["go", *args], cwd=cwd, env=go_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        command = " ".join(args[:2] if args[0] in ("mod", "list") else args[:1])
        raise BuildError(f"{part.title}: `go {command}` failed: {reason(done.stderr)}")
    return done.stdout


def reason(stderr: str) -> str:
    """One line out of go's error output: the module proxy's answer if it gave one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("server response:") and index > 0:
            refused = lines[index - 1].split(": reading ")[0].removeprefix("go: ")
            answer = line.removeprefix("server response: ")
            return f"the Go module proxy refuses {refused}: {answer}"
    return lines[-1] if lines else "no output"


def build(part: Part) -> Path:
    """`part`'s binary directory, built first if it is not cached."""
    target = part.bin_dir()
    if (target / part.binary).exists():
        return target
    started = time.monotonic()
    say(f"building {part.title} {part.version} (cold: tens of minutes on 2 cores) ...")
    folder = HERE / part.folder
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{part.folder}-", dir=target.parent) as tmp:
        staged = Path(tmp)
        go(part, "mod", "download", cwd=folder)
        flags = f"-s -w -X {part.version_var}={part.version}"
        output = str(staged / part.binary)
        go(part, "build", "-trimpath", f"-tags={part.tags}", f"-ldflags={flags}", "-o", output,
           part.package, cwd=folder)  # fmt: skip
        if part.sdk_files:
            listed = go(part, "list", "-m", "-json", "github.com/pulumi/pulumi/sdk/v3", cwd=folder)
            sdk = Path(json.loads(listed)["Dir"])
            for name in part.sdk_files:
                shutil.copy(sdk / name, staged / Path(name).name)
                (staged / Path(name).name).chmod(0o755)
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)  # whole or not at all: a half-built part is never cached
        staged.mkdir()  # for TemporaryDirectory's cleanup
    say(f"built {part.title} in {time.monotonic() - started:.0f}s: {target}")
    return target


def env_lines(parts: Sequence[Part] = PARTS) -> list[str]:
    """Build every part (raising on the first failure), then the `export` lines."""
    dirs = [str(build(part)) for part in parts]
    path = os.pathsep.join([*dirs, os.environ.get("PATH", "")])
    env = {**OFFLINE_ENV, "PATH": path}
    return [f"export {name}={shlex.quote(value)}" for name, value in env.items()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tools.pulumi", description=__doc__)
    parser.add_argument("--print-env", action="store_true", help="print `export` lines after it")
    parser.add_argument("--only", choices=[part.folder for part in PARTS], help="just this part")
    args = parser.parse_args(argv)
    parts = [part for part in PARTS if args.only in (None, part.folder)]
    try:
        lines = env_lines(parts)
    except BuildError as error:
        print(f"pulumi: {error}", file=sys.stderr)
        return 1
    if args.print_env:
        print(*lines, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
