"""The docker provider installed as a plugin into the CLI's PULUMI_HOME (`pulumi plugin install
--file`), so the engine finds it offline, and without the warning a plugin on PATH gets."""

import fcntl
import filecmp
from pathlib import Path

from tools.pulumi.build import BuildError, run
from tools.pulumi.parts import OFFLINE_ENV, Part, pulumi_home


def plugin_file(part: Part) -> Path:
    """Where the CLI keeps the plugin `part` builds (pulumi-resource-docker -> resource docker)."""
    _, kind, name = part.binary.split("-", 2)
    return pulumi_home() / "plugins" / f"{kind}-{name}-v{part.version}" / part.binary


def installed(part: Part, bin_dir: Path) -> bool:
    """Whether the plugin the CLI would run is the binary cached in `bin_dir`."""
    plugin = plugin_file(part)
    return plugin.is_file() and filecmp.cmp(plugin, bin_dir / part.binary, shallow=False)


def install(part: Part, bin_dir: Path, *, cli_dir: Path) -> None:
    """Install the cached binary of `part` with the CLI in `cli_dir`, unless it already is (one
    process at a time: a second `--reinstall` would swap the plugin under the first's engine)."""
    pulumi_home().mkdir(parents=True, exist_ok=True)
    with open(pulumi_home() / f".{part.binary}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not installed(part, bin_dir):
            _install(part, bin_dir, cli_dir)


def _install(part: Part, bin_dir: Path, cli_dir: Path) -> None:
    _, kind, name = part.binary.split("-", 2)
    argv = [str(cli_dir / "pulumi"), "plugin", "install", kind, name, part.version]
    argv += ["--file", str(bin_dir / part.binary), "--reinstall"]
    env = {**OFFLINE_ENV, "PULUMI_HOME": str(pulumi_home())}
    run(part, argv, cwd=bin_dir, what="`pulumi plugin install`", env=env)
    if not installed(part, bin_dir):
        raise BuildError(f"{part.title}: `pulumi plugin install` left no {plugin_file(part)}")
