"""Building a part: `go build` of its pinned module, with Go's caches under cache()."""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.pulumi.parts import Part, cache


class BuildError(Exception):
    """A part that could not be built or installed; the message is one line naming why."""


def say(message: str) -> None:
    print(f"build: {message}", file=sys.stderr, flush=True)


def go_env() -> dict[str, str]:
    return {
        **os.environ,
        "GOMODCACHE": str(cache() / "go/mod"),
        "GOCACHE": str(cache() / "go/build"),
        "GOFLAGS": "-buildvcs=false -mod=readonly",
        "CGO_ENABLED": "0",
    }


def run(
    part: Part, argv: list[str], *, cwd: Path, what: str, env: dict[str, str] | None = None
) -> str:
    """Run `argv` for `part` (`env` added to Go's); on failure raise its most telling line."""
    environ = {**go_env(), **(env or {})}
    done = subprocess.run(argv, cwd=cwd, env=environ, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"{part.title}: {what} failed: {reason(done.stderr)}")
    return done.stdout


def go(part: Part, *args: str, cwd: Path) -> str:
    if shutil.which("go") is None:
        raise BuildError(f"{part.title}: `go` is not on PATH: install Go 1.26 or newer")
    command = " ".join(args[:2] if args[0] in ("mod", "list") else args[:1])
    return run(part, ["go", *args], cwd=cwd, what=f"`go {command}`")


def reason(stderr: str) -> str:
    """One line out of an error output: the module proxy's answer if it gave one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("server response:") and index > 0:
            refused = lines[index - 1].split(": reading ")[0].removeprefix("go: ")
            answer = line.removeprefix("server response: ")
            return f"the Go module proxy refuses {refused}: {answer}"
    errors = [line for line in lines if line.startswith(("error:", "Error:", "panic:"))]
    return (errors or lines or ["no output"])[-1]


def compile_binary(part: Part, module: Path, output: Path) -> None:
    go(part, "build", "-trimpath", f"-tags={part.tags}", f"-ldflags={part.ldflags()}", "-o",
       str(output), part.package, cwd=module)  # fmt: skip


def generate(part: Part, tmp: Path) -> Path:
    """A staging copy of `part`'s module with the files its generator writes, for the build."""
    # In a folder named `provider`: the bridge's tfgen looks for the upstream docs (by
    # `go mod download -json`) from there.
    module = tmp / "provider"
    shutil.copytree(part.source(), module)
    for name in part.generated:  # the generator's own build embeds them too: empty ones
        (module / name).write_text("{}\n")
    generator = tmp / "generator"
    go(part, "mod", "download", cwd=module)
    go(part, "build", "-trimpath", f"-tags={part.tags}", "-ldflags=-s -w", "-o", str(generator),
       str(part.generator), cwd=module)  # fmt: skip
    out = ["schema", "--skip-examples", "--out", str(module)]
    run(part, [str(generator), *out], cwd=module, what=f"`{part.generator} schema`")
    return module


def build(part: Part) -> Path:
    """`part`'s binary directory, built first if it is not cached. Two processes that want the
    same part (tools.pulumi and tools.k8s, run side by side) build it once: the second waits."""
    target = part.bin_dir()
    if (target / part.binary).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / part.binary).exists():
            return target
        return _build(part, target)


def _build(part: Part, target: Path) -> Path:
    started = time.monotonic()
    say(f"building {part.title} {part.version} (cold: minutes to tens of minutes) ...")
    with tempfile.TemporaryDirectory(prefix=f"{part.folder}-", dir=target.parent) as tmp:
        staged = Path(tmp) / "bin"
        staged.mkdir()
        module = part.source()
        if part.generator:
            module = generate(part, Path(tmp))
            shutil.copy(module / part.generated[0], staged)
        else:
            go(part, "mod", "download", cwd=module)
            module = part.prepare() or module
        compile_binary(part, module, staged / part.binary)
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)  # whole or not at all: a half-built part is never cached
    say(f"built {part.title} in {time.monotonic() - started:.0f}s: {target}")
    return target
