"""The container images the project runs, as settings, and offline stand-ins for them.

`POSTGRES_IMAGE` and `PYTHON_IMAGE` name the images (official defaults). Where no registry is
reachable, `python -m tools.images` builds the stand-ins from the machine's Debian mirror, and
`eval "$(python -m tools.images --print-env)"` points the settings at them (the Docker-backed
nox sessions apply `stand_in_env()` themselves).
"""

import argparse
import hashlib
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

from infra.images import POSTGRES, PYTHON, ImageSetting
from tools.debian_rootfs import IMPORT_CHANGES, mmdebstrap_command
from tools.docker import DockerError, docker, exists, obtainable

IMAGES_DIR = Path(__file__).resolve().parents[1] / "images"
LOCAL_DEBIAN_IMAGE = "ossgameforge/debian:local"
LOCAL_POSTGRES_IMAGE = "ossgameforge/postgres:local"
LOCAL_PYTHON_IMAGE = "ossgameforge/python:3.11-local"
# On each stand-in: the digest of the images/<name>/ files it was built from.
SOURCE_LABEL = "org.ossgameforge.source"


@dataclass(frozen=True)
class StandIn(ImageSetting):
    name: str
    local: str

    def context(self) -> Path:
        return IMAGES_DIR / self.name

    def digest(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(p for p in self.context().rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(self.context())}\0".encode() + path.read_bytes())
        return digest.hexdigest()[:16]


STAND_INS = {
    s.name: s
    for s in (
        StandIn(POSTGRES.setting, POSTGRES.official, "postgres", LOCAL_POSTGRES_IMAGE),
        StandIn(PYTHON.setting, PYTHON.official, "python", LOCAL_PYTHON_IMAGE),
    )
}


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


def source_label(image: str) -> str:
    """The image's SOURCE_LABEL; "" if the image is missing."""
    template = f'--format={{{{index .Config.Labels "{SOURCE_LABEL}"}}}}'
    try:
        return docker("image", "inspect", template, image)
    except DockerError:
        return ""


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
    """Build the stand-ins `names` that are missing or built from other files than images/<name>/
    now holds (all, and the Debian base, if `force`)."""
    stale = []
    for stand_in in (STAND_INS[name] for name in names):
        if not force and source_label(stand_in.local) == stand_in.digest():
            say(f"{stand_in.local} is up to date (--force rebuilds it)")
        else:
            stale.append(stand_in)
    if stale and (force or not exists(LOCAL_DEBIAN_IMAGE)):
        build_debian_base()
    for stand_in in stale:
        with step(f"{stand_in.local}: docker build"):
            options = [f"--build-arg=BASE={LOCAL_DEBIAN_IMAGE}", f"--tag={stand_in.local}"]
            options.append(f"--label={SOURCE_LABEL}={stand_in.digest()}")
            run(["docker", "build", *options, str(stand_in.context())])


def stand_in_env(names: Sequence[str] = tuple(STAND_INS), *, built: bool = True) -> dict[str, str]:
    """Settings to add where unset: a stand-in where the official image can't be had (and, if
    `built`, the stand-in exists), and then Ryuk off: no registry will give its image either."""
    env = {}
    for stand_in in (STAND_INS[name] for name in names):
        if os.environ.get(stand_in.setting) or (built and not exists(stand_in.local)):
            continue
        if not obtainable(stand_in.official):
            say(f"{stand_in.official} cannot be had: {stand_in.setting}={stand_in.local}")
            env[stand_in.setting] = stand_in.local
    if env and "TESTCONTAINERS_RYUK_DISABLED" not in os.environ:
        env["TESTCONTAINERS_RYUK_DISABLED"] = "true"
    return env


def env_lines(names: Sequence[str] = tuple(STAND_INS)) -> list[str]:
    """`export` lines for a shell: every image setting (as given, else the official image if it
    can be had, else the stand-in) and Ryuk off where a stand-in is chosen."""
    env = {STAND_INS[name].setting: STAND_INS[name].configured() for name in names}
    env |= stand_in_env(names, built=False)
    for stand_in in (STAND_INS[name] for name in names):
        if env[stand_in.setting] == stand_in.local and not exists(stand_in.local):
            say(f"{stand_in.local} is not built yet: python3 -m tools.images")
    return [f"export {setting}={shlex.quote(value)}" for setting, value in env.items()]


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
