"""`python3 -m tools.pulumi`: cached parts go on PATH unbuilt, failures are one line."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.pulumi.__main__ import HERE, OFFLINE_ENV, PARTS, Part, reason

ROOT = Path(__file__).resolve().parents[2]
# What go printed here when the module proxy refused the docker provider's module.
REFUSED = """go: github.com/pulumi/pulumi-docker/provider/v5@v5.0.0-20260626165050-e944612c4c97: \
reading https://proxy.golang.org/github.com/pulumi/pulumi-docker/provider/v5/@v/\
v5.0.0-20260626165050-e944612c4c97.info: 403 Forbidden
\tserver response: This module version is not available.
"""


def run(*args: str, cache: Path, path: str) -> subprocess.CompletedProcess[str]:
    """The tool on this Python, with its cache in `cache` and `path` as PATH."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PATH": path}
    command = [sys.executable, "-m", "tools.pulumi", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_cached_parts_go_on_path_with_the_offline_variables_and_no_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached = [part.bin_dir() for part in PARTS]
    for part, bin_dir in zip(PARTS, cached, strict=True):
        bin_dir.mkdir(parents=True)
        (bin_dir / part.binary).write_text("#!/bin/sh\n")
    # No `go` on this PATH: a build attempt would fail.
    done = run("--print-env", cache=tmp_path, path="/nonexistent")
    assert done.returncode == 0, done.stderr
    exports = dict(line.removeprefix("export ").split("=", 1) for line in done.stdout.splitlines())
    path = exports.pop("PATH").split(os.pathsep)
    assert path[: len(PARTS)] == [str(bin_dir) for bin_dir in cached]
    assert exports == OFFLINE_ENV


def test_without_go_the_failure_is_one_line_naming_the_part(tmp_path: Path) -> None:
    done = run("--print-env", "--only", "cli", cache=tmp_path, path="/nonexistent")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "pulumi: the Pulumi CLI: `go` is not on PATH: install Go 1.26 or newer"
    )


def test_a_refusal_of_the_module_proxy_is_told_in_one_line() -> None:
    assert reason(REFUSED) == (
        "the Go module proxy refuses github.com/pulumi/pulumi-docker/provider/v5"
        "@v5.0.0-20260626165050-e944612c4c97: This module version is not available."
    )
    assert reason("go: downloading x\nmain.go:3:2: no required module provides package y\n") == (
        "main.go:3:2: no required module provides package y"
    )


def test_the_cli_reports_the_release_its_go_mod_pins() -> None:
    cli = next(part for part in PARTS if part.folder == "cli")
    go_mod = (HERE / "cli/go.mod").read_text()
    assert f"\n\t{cli.module} {cli.version} // indirect\n" in go_mod


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.folder)
def test_each_part_pins_its_module_and_names_the_release(part: Part) -> None:
    go_mod = (HERE / part.folder / "go.mod").read_text()
    pin = rf"^\s*(require )?{re.escape(part.module)} v\S+( // indirect)?$"
    assert re.search(pin, go_mod, re.MULTILINE)
    assert part.version.removeprefix("v") in go_mod
