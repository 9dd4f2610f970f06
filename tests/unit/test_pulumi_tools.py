"""`python3 -m tools.pulumi`: cached parts are used unbuilt, the docker provider is installed as
a plugin once, the printed environment is complete, failures are one line, pins agree."""

import json
import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.pulumi import build as build_module
from tools.pulumi.build import reason
from tools.pulumi.parts import CLI, DOCKER, HERE, OFFLINE_ENV, PARTS, Part, docker_schema
from tools.pulumi.plugin import plugin_file

ROOT = Path(__file__).resolve().parents[2]
# What go printed here when the module proxy refused pulumi-docker v5.1.0's upstream commit.
REFUSED = """go: github.com/kreuzwerker/terraform-provider-docker@v4.5.0: reading \
https://proxy.golang.org/github.com/kreuzwerker/terraform-provider-docker/@v/v4.5.0.info: \
403 Forbidden
\tserver response: This module version is not available.
"""
# A stand-in CLI: logs how it was called, and installs the way `pulumi plugin install` does.
FAKE_CLI = """#!/bin/sh
echo "$PULUMI_HOME $*" >> "$(dirname "$0")/calls"
[ -n "$FAIL" ] && { echo "error: $FAIL" >&2; exit 1; }
mkdir -p "$PULUMI_HOME/plugins/$3-$4-v$5" && cp "$7" "$PULUMI_HOME/plugins/$3-$4-v$5/"
"""


def run(*args: str, cache: Path, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The tool on this Python, with its cache in `cache` and `path` as PATH."""
    environ = {**os.environ, "XDG_CACHE_HOME": str(cache), "PATH": path, **env}
    environ.pop("PULUMI_BACKEND_URL", None)
    command = [sys.executable, "-m", "tools.pulumi", *args]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True)


def exports(stdout: str) -> dict[str, str]:
    """The `export NAME=VALUE` lines as the shell reads them."""
    words = [shlex.split(line.removeprefix("export "))[0] for line in stdout.splitlines()]
    return dict(word.split("=", 1) for word in words)


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both parts cached in tmp_path (a stand-in CLI, a provider that is a file); no Go."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    CLI.bin_dir().mkdir(parents=True)
    (CLI.bin_dir() / "pulumi").write_text(FAKE_CLI)
    (CLI.bin_dir() / "pulumi").chmod(0o755)
    DOCKER.bin_dir().mkdir(parents=True)
    (DOCKER.bin_dir() / DOCKER.binary).write_text("provider, first build\n")
    (DOCKER.bin_dir() / "schema.json").write_text("{}")
    return tmp_path


def calls() -> list[str]:
    log = CLI.bin_dir() / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_cached_parts_give_a_complete_offline_environment_without_go(cached: Path) -> None:
    done = run("--print-env", cache=cached, path="/usr/bin:/bin")  # no `go` on this PATH
    assert done.returncode == 0, done.stderr
    env = exports(done.stdout)
    assert env.pop("PATH").split(os.pathsep) == [str(CLI.bin_dir()), "/usr/bin", "/bin"]
    assert env == {
        "PULUMI_HOME": str(cached / "ossgameforge/pulumi/home"),
        "PULUMI_BACKEND_URL": "file://~",
        **OFFLINE_ENV,
    }


def test_the_provider_is_installed_once_and_again_after_a_rebuild(cached: Path) -> None:
    home = cached / "ossgameforge/pulumi/home"
    binary = DOCKER.bin_dir() / DOCKER.binary
    install = f"{home} plugin install resource docker 5.1.0 --file {binary} --reinstall"
    assert run(cache=cached, path="/usr/bin:/bin").returncode == 0
    assert plugin_file(DOCKER).read_text() == "provider, first build\n"
    assert run(cache=cached, path="/usr/bin:/bin").returncode == 0
    assert calls() == [install]  # recognized: not installed twice
    binary.write_text("provider, second build\n")
    assert run(cache=cached, path="/usr/bin:/bin").returncode == 0
    assert calls() == [install, install]
    assert plugin_file(DOCKER).read_text() == "provider, second build\n"


def test_a_failed_plugin_install_is_one_line(cached: Path) -> None:
    done = run("--print-env", cache=cached, path="/usr/bin:/bin", FAIL="no space left")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "pulumi: the docker provider: `pulumi plugin install` failed: error: no space left"
    ]


def test_without_go_the_failure_is_one_line_naming_the_part(tmp_path: Path) -> None:
    done = run("--print-env", "--only", "docker", cache=tmp_path, path="/nonexistent")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines()[-1] == (
        "pulumi: the docker provider: `go` is not on PATH: install Go 1.26 or newer"
    )


def test_an_unwritable_cache_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "ossgameforge").write_text("a file where the cache folder should be")
    done = run("--print-env", cache=tmp_path, path="/usr/bin:/bin")
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("pulumi: [Errno") and str(tmp_path / "ossgameforge") in last


def test_a_refusal_of_the_module_proxy_is_told_in_one_line() -> None:
    assert reason(REFUSED) == (
        "the Go module proxy refuses github.com/kreuzwerker/terraform-provider-docker@v4.5.0: "
        "This module version is not available."
    )
    assert reason("go: downloading x\nmain.go:3:2: no required module provides package y\n") == (
        "main.go:3:2: no required module provides package y"
    )


def test_the_schema_path_is_known_only_once_the_provider_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert docker_schema() is None
    DOCKER.bin_dir().mkdir(parents=True)
    (DOCKER.bin_dir() / "schema.json").write_text("{}")
    assert docker_schema() is None  # a schema without its binary is no build
    (DOCKER.bin_dir() / DOCKER.binary).write_text("")
    assert docker_schema() == DOCKER.bin_dir() / "schema.json"


def test_the_cli_reports_the_release_its_go_mod_pins() -> None:
    go_mod = (HERE / "cli/go.mod").read_text()
    assert f"\n\t{CLI.module} {CLI.version} // indirect\n" in go_mod


def test_the_provider_is_the_version_the_python_sdk_asks_for() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"pulumi-docker=={DOCKER.version}" in project["optional-dependencies"]["infra"]
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    assert locked["pulumi-docker"] == DOCKER.version
    info = (HERE / "docker/info/info.go").read_text()
    assert f'var Version = "{DOCKER.version}"' in info
    assert DOCKER.version_var == f"{DOCKER.module}/info.Version"


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.folder)
def test_each_part_is_pinned_by_its_go_mod_and_go_sum(part: Part) -> None:
    go_mod = (HERE / part.folder / "go.mod").read_text()
    pin = rf"^(module|\s*(require )?{re.escape(part.module)} v\S+( // indirect)?$)"
    assert re.search(pin, go_mod, re.MULTILINE)
    assert (HERE / part.folder / "go.sum").stat().st_size > 0


def test_the_docker_go_mod_pins_the_bridge_and_the_terraform_provider() -> None:
    go_mod = (HERE / "docker/go.mod").read_text()
    assert f"module {DOCKER.module}\n" in go_mod
    assert "\tgithub.com/pulumi/pulumi-terraform-bridge/v3 v3.120.0\n" in go_mod
    replace = r"^replace (\S+) => github.com/kreuzwerker/terraform-provider-docker (v\S+)$"
    upstream = re.search(replace, go_mod, re.MULTILINE)
    assert upstream, "the Terraform provider is not replaced by kreuzwerker's module"
    assert upstream[1] == "github.com/terraform-providers/terraform-provider-docker"
    assert f"\t{upstream[1]} {upstream[2]}\n" in go_mod  # required at the version it replaces


@pytest.mark.skipif(
    docker_schema() is None or not (CLI.bin_dir() / "pulumi").exists(),
    reason="the CLI and the docker provider are not built: python3 -m tools.pulumi",
)
def test_the_built_cli_lists_the_built_provider_as_docker_5_1_0() -> None:
    done = subprocess.run([sys.executable, "-m", "tools.pulumi", "--print-env"], cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    env = {**os.environ, **exports(done.stdout)}
    listed = subprocess.run(["pulumi", "plugin", "ls", "--json"], env=env, capture_output=True,
                            text=True, check=True)  # fmt: skip
    plugins = {(p["kind"], p["name"], p["version"]) for p in json.loads(listed.stdout)}
    assert ("resource", "docker", DOCKER.version) in plugins
    version = subprocess.run([str(plugin_file(DOCKER)), "-version"], capture_output=True, text=True)
    assert version.stdout.strip() == DOCKER.version


def test_two_processes_wanting_one_part_build_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built: list[Path] = []

    def slow_build(part: Part, target: Path) -> Path:
        time.sleep(0.3)  # the other caller arrives meanwhile
        target.mkdir(parents=True)
        (target / part.binary).write_text("#!/bin/sh\n")
        built.append(target)
        return target

    monkeypatch.setattr(build_module, "_build", slow_build)
    with ThreadPoolExecutor(2) as pool:
        targets = list(pool.map(build_module.build, [CLI, CLI]))
    assert targets == [CLI.bin_dir()] * 2
    assert built == [CLI.bin_dir()]


def test_an_edit_to_a_parts_own_code_moves_its_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tools.pulumi.parts.HERE", tmp_path)
    (tmp_path / "docker/info").mkdir(parents=True)
    for name in ("go.mod", "go.sum", "main.go", "info/info.go"):
        (tmp_path / "docker" / name).write_text(f"// {name}\n")
    before = DOCKER.bin_dir()
    assert DOCKER.bin_dir() == before  # stable
    (tmp_path / "docker/info/info.go").write_text("// a token renamed\n")
    assert DOCKER.bin_dir() != before
