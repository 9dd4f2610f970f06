"""The Pulumi CLI and the docker provider, built from Go modules (no Pulumi download server).

`eval "$(python3 -m tools.pulumi --print-env)"` builds what is not cached yet (progress on
stderr), installs the docker provider as the plugin pulumi-docker 5.1.0 asks for, then prints
`export` lines: PATH with the CLI first, its own PULUMI_HOME, a local backend (unless
PULUMI_BACKEND_URL is set already: `file://~` is `pulumi login --local`), and the variables that
keep the CLI offline. Stack secrets still need a passphrase: the CLI prompts for it, or reads
PULUMI_CONFIG_PASSPHRASE. Binaries and Go's caches are under ~/.cache/ossgameforge/pulumi.
Standard library only: it runs on the machine's python3, like `python3 -m tools.images`.
"""

import argparse
import os
import shlex
import sys
from collections.abc import Sequence

from tools.pulumi.build import BuildError, build
from tools.pulumi.parts import CLI, DOCKER, LOCAL_BACKEND, OFFLINE_ENV, PARTS, Part, pulumi_home
from tools.pulumi.plugin import install


def environment(parts: Sequence[Part] = PARTS) -> dict[str, str]:
    """Build (raising on the first failure) and install the parts; the environment to export."""
    built = {part.folder: build(part) for part in parts}
    if CLI.folder in built and DOCKER.folder in built:
        install(DOCKER, built[DOCKER.folder], cli_dir=built[CLI.folder])
    path = [str(built[CLI.folder])] if CLI.folder in built else []
    return {
        "PATH": os.pathsep.join([*path, os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(pulumi_home()),
        "PULUMI_BACKEND_URL": os.environ.get("PULUMI_BACKEND_URL") or LOCAL_BACKEND,
        **OFFLINE_ENV,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tools.pulumi", description=__doc__)
    parser.add_argument("--print-env", action="store_true", help="print `export` lines after it")
    parser.add_argument(
        "--only",
        choices=[part.folder for part in PARTS],
        help="build just this part (the plugin is installed when both are built)",
    )
    args = parser.parse_args(argv)
    parts = [part for part in PARTS if args.only in (None, part.folder)]
    try:
        env = environment(parts)
    except (BuildError, OSError) as error:  # OSError: the cache (or a binary in it) is unusable
        print(f"pulumi: {error}", file=sys.stderr)
        return 1
    if args.print_env:
        print(*(f"export {name}={shlex.quote(value)}" for name, value in env.items()), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
