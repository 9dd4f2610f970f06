"""A Debian rootfs without a registry: the `mmdebstrap` command for this machine's apt sources."""

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

APT = Path("/etc/apt")
# The host's extra CAs (a TLS-intercepting proxy, a company CA): containers need them to reach PyPI.
LOCAL_CAS = Path("/usr/local/share/ca-certificates")
# As in Debian's slim images: no manuals, docs or translations, now or in later `apt-get install`s.
SLIM = (
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/locale/*",
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
)
# Host apt options the mirror may need (a snapshot mirror's Release files are past Valid-Until).
MIRROR_OPTIONS = ("Acquire::Check-Valid-Until ", "Acquire::Check-Date ")
# As in Debian's official images: later `apt-get install`s leave no .deb files nor package caches
# behind. Set in a customize hook (mmdebstrap's own apt needs its downloads), which also removes the
# caches already made, since `apt-get clean` no longer knows them.
APT_CLEAN = (
    'APT::Keep-Downloaded-Packages "false"; Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";'
)
# Merged /usr without the usrmerge package (which pulls in ~45 MB of perl) where the suite has it.
MERGED_USR_HOOKS = Path("/usr/share/mmdebstrap/hooks/maybe-merged-usr")
# What `docker import` must add to a bare rootfs to make it a base like `debian:bookworm-slim`.
IMPORT_CHANGES = (
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "CMD bash",
)


@dataclass(frozen=True)
class Source:
    uri: str
    suite: str
    components: str

    def line(self) -> str:
        return f"deb {self.uri} {self.suite} {self.components}"


def apt_sources(apt: Path = APT) -> list[Source]:
    """The `deb` sources in deb822 `*.sources` and one-line `*.list` files of the apt config."""
    sources: list[Source] = []
    for path in sorted((apt / "sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text()):
            fields = _deb822(stanza)
            if "deb" in fields.get("types", "").split() and fields.get("enabled") != "no":
                sources += [
                    Source(uri, suite, fields.get("components", ""))
                    for uri in fields.get("uris", "").split()
                    for suite in fields.get("suites", "").split()
                ]
    for path in [apt / "sources.list", *sorted((apt / "sources.list.d").glob("*.list"))]:
        lines = path.read_text().splitlines() if path.exists() else []
        for line in lines:
            words = re.sub(r"\[[^]]*\]", "", line.partition("#")[0]).split()
            if len(words) >= 3 and words[0] == "deb":
                sources.append(Source(words[1], words[2], " ".join(words[3:])))
    if not sources:
        raise SystemExit(f"no `deb` source in {apt}/sources.list(.d): cannot bootstrap Debian")
    return sources


def _deb822(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = ""
    for line in stanza.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line[0].isspace() and key:
            fields[key] += " " + line.strip()
        else:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            fields[key] = value.strip()
    return fields


def _mirror_options() -> list[str]:
    dump = subprocess.run(["apt-config", "dump"], capture_output=True, text=True, check=True)
    return [line for line in dump.stdout.splitlines() if line.startswith(MIRROR_OPTIONS)]


def mmdebstrap_command(rootfs: Path) -> list[str]:
    """Bootstrap a minbase tarball at `rootfs` that trusts the host's extra CAs."""
    sources = apt_sources()
    hooks = [
        f'echo {shlex.quote(APT_CLEAN)} >"$1/etc/apt/apt.conf.d/docker-clean"',
        'rm -f "$1"/var/cache/apt/*.bin',
    ]
    if any(LOCAL_CAS.glob("*.crt")):
        hooks += [f"sync-in {LOCAL_CAS} {LOCAL_CAS}", 'chroot "$1" update-ca-certificates']
    return [
        "mmdebstrap",
        "--variant=minbase",
        "--include=ca-certificates",
        f"--hook-dir={MERGED_USR_HOOKS}",
        *(f"--aptopt={option}" for option in _mirror_options()),
        *(f"--dpkgopt={option}" for option in SLIM),
        *(f"--customize-hook={hook}" for hook in hooks),
        sources[0].suite,
        str(rootfs),
        *(source.line() for source in sources),
    ]
