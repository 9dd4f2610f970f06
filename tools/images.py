"""The container images the project runs, as settings, and offline stand-ins for them.

`POSTGRES_IMAGE` and `PYTHON_IMAGE` name the images (official defaults). Where no registry is
reachable, `python -m tools.images` builds the stand-ins from the machine's Debian mirror, and
`eval "$(python -m tools.images --print-env)"` points the settings at them.
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.debian_rootfs import IMPORT_CHANGES, mmdebstrap_command

IMAGES_DIR = Path(__file__).resolve().parents[1] / "images"
LOCAL_DEBIAN_IMAGE = "ossgameforge/debian:local"
LOCAL_POSTGRES_IMAGE = "ossgameforge/postgres:local"
LOCAL_PYTHON_IMAGE = "ossgameforge/python:3.11-local"


@dataclass(frozen=True)
class StandIn:
    name: str
    setting: str
    official: str
    local: str

    def configured(self) -> str:
        """The image the `setting` env var names, else the official one."""
        return os.environ.get(self.setting) or self.official


STAND_INS = {
    s.name: s
    for s in (
        StandIn("postgres", "POSTGRES_IMAGE", "postgres:17", LOCAL_POSTGRES_IMAGE),
        StandIn("python", "PYTHON_IMAGE", "python:3.11-slim", LOCAL_PYTHON_IMAGE),
    )
}


def postgres_image() -> str:
    return STAND_INS["postgres"].configured()


def python_image() -> str:
    return STAND_INS["python"].configured()


def say(message: str) -> None:
    print(f"images: {message}", file=sys.stderr, flush=True)


@contextmanager
def step(what: str) -> Iterator[None]:
    say(f"{what} ...")
    started = time.monotonic()
    yield
    say(f"{what}: done in {time.monotonic() - started:.1f}s")


def run(command: Sequence[str], env: dict[str, str] | None = None) -> None:
    """Run quietly; on failure show the output's tail and stop with one line."""
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        print(*(done.stdout + done.stderr).splitlines()[-40:], sep="\n", file=sys.stderr)
        raise SystemExit(f"images: `{shlex.join(command[:2])} ...` failed ({done.returncode})")


def exists(image: str) -> bool:
    inspect = ["docker", "image", "inspect", image]
    return subprocess.run(inspect, capture_output=True, check=False).returncode == 0


def obtainable(image: str) -> bool:
    """Present locally, or pulled now."""
    pull = ["docker", "pull", "--quiet", image]
    return exists(image) or subprocess.run(pull, capture_output=True, check=False).returncode == 0


def build_debian_base() -> None:
    with (
        step(f"{LOCAL_DEBIAN_IMAGE}: mmdebstrap + docker import"),
        tempfile.TemporaryDirectory(prefix="ogf-rootfs-") as tmp,
    ):
        rootfs = Path(tmp) / "rootfs.tar"
        run(mmdebstrap_command(rootfs), env={**os.environ, "TMPDIR": tmp})
        changes = (f"--change={change}" for change in IMPORT_CHANGES)
        run(["docker", "import", *changes, str(rootfs), LOCAL_DEBIAN_IMAGE])


def ensure_images(names: Sequence[str] = tuple(STAND_INS), *, force: bool = False) -> None:
    """Build the stand-ins `names` whose tags are missing (all, and the base, if `force`)."""
    missing = []
    for name in names:
        local = STAND_INS[name].local
        if exists(local) and not force:
            say(f"{local} exists (--force rebuilds it)")
        else:
            missing.append(name)
    if missing and (force or not exists(LOCAL_DEBIAN_IMAGE)):
        build_debian_base()
    for name in missing:
        tag = STAND_INS[name].local
        with step(f"{tag}: docker build"):
            base = f"--build-arg=BASE={LOCAL_DEBIAN_IMAGE}"
            run(["docker", "build", base, f"--tag={tag}", str(IMAGES_DIR / name)])


def env_lines(names: Sequence[str] = tuple(STAND_INS)) -> list[str]:
    """`export` lines naming the configured image where it can be had, else its stand-in."""
    lines = []
    for name in names:
        stand_in = STAND_INS[name]
        image = stand_in.configured()
        if not obtainable(image):
            say(f"{image} cannot be had: {stand_in.setting}={stand_in.local}")
            image = stand_in.local
        lines.append(f"export {stand_in.setting}={shlex.quote(image)}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.images", description=__doc__)
    parser.add_argument("--only", choices=STAND_INS, help="just this stand-in")
    parser.add_argument("--force", action="store_true", help="rebuild, base image included")
    parser.add_argument(
        "--print-env", action="store_true", help="print `export` lines for the settings; no build"
    )
    args = parser.parse_args(argv)
    names = [args.only] if args.only else list(STAND_INS)
    if args.print_env:
        print(*env_lines(names), sep="\n")
    else:
        ensure_images(names, force=args.force)


if __name__ == "__main__":
    main()
