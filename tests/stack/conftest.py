"""The stacks applied by the real Pulumi engine (CLI and docker provider from `python3 -m
tools.pulumi`) to the local Docker engine. Each stack is an automation-API inline program in a
folder of its own, with a file backend, a copy of its `Pulumi.<stack>.yaml`, free loopback ports,
and Docker objects named `<project>-<stack>-*` with a project name of the run's own."""

import json
import os
import secrets
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi import automation as auto

from tests.engine_run import Figures, ignore_unclosed_inline_server, quiet
from tools.docker import answers, docker
from tools.engine import engine_env, open_stack, set_config
from tools.ports import free_ports

FIGURES = Figures("stack figures (seconds)")
record = FIGURES.record


def pytest_configure(config: pytest.Config) -> None:
    ignore_unclosed_inline_server(config)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    FIGURES.report(terminalreporter)


@dataclass
class EngineStack:
    """One stack on the engine, and what a person would look at: its URLs and Docker objects."""

    name: str
    stack: auto.Stack
    prefix: str  # of every Docker object it makes
    api_port: int
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12) + "@/:%")

    def up(self, figure: str | None = None) -> auto.UpResult:
        started = time.monotonic()
        result = self.stack.up(color="never", on_output=quiet)
        if figure:
            record(figure, time.monotonic() - started)
        return result

    def get(self, path: str) -> Any:
        url = f"http://127.0.0.1:{self.api_port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.api_port}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    def docker_objects(self) -> list[str]:
        """The containers, networks, volumes and image tags of this stack on the engine."""
        selector = f"--filter=name={self.prefix}-"
        found = [
            *docker("container", "ls", "--all", "--format={{.Names}}", selector).split(),
            *docker("network", "ls", "--format={{.Name}}", selector).split(),
            *docker("volume", "ls", "--format={{.Name}}", selector).split(),
        ]
        images = f"--filter=reference=ossgameforge/backend:{self.prefix}*"
        return found + docker("image", "ls", "--format={{.Repository}}:{{.Tag}}", images).split()

    def remove(self) -> None:
        """`destroy`, then what `destroy` keeps (the data volume), then the stack itself."""
        self.stack.destroy(color="never", on_output=quiet)
        selector = f"--filter=name={self.prefix}-"
        for volume in docker("volume", "ls", "--format={{.Name}}", selector).split():
            docker("volume", "rm", volume)
        self.stack.workspace.remove_stack(self.name)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the CLI: offline, a file backend of the run's own, a passphrase."""
    problem = None
    if shutil.which("pulumi") is None:
        problem = 'no `pulumi` on PATH: eval "$(python3 -m tools.pulumi --print-env)"'
    elif not answers():
        problem = "no Docker engine answers (start one: bash .ci/docker-engine.sh)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return engine_env(tmp_path_factory.mktemp("pulumi-state"))


StackFactory = Callable[..., EngineStack]


@pytest.fixture(scope="module")
def make_stack(
    engine: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StackFactory]:
    """`make_stack("live", key=value...)`: a stack configured from its stack file, with free
    ports and the values given; removed after the module, leaving nothing on the engine."""
    made: list[EngineStack] = []

    def make(name: str, *, password: bool = True, **values: str) -> EngineStack:
        project = f"ogf-{secrets.token_hex(3)}"
        work_dir = tmp_path_factory.mktemp(f"{project}-{name}")
        stack = open_stack(name, work_dir=work_dir, project=project, env=engine)
        api_port = free_ports(1)[0]
        prefix = f"{project}-{name}"
        made.append(EngineStack(name, stack, prefix, api_port))
        image = f"ossgameforge/backend:{prefix}"
        set_config(stack, {"apiPort": str(api_port), "backendImage": image, **values})
        if name == "live" and password:
            set_config(stack, {"dbPassword": made[-1].password}, secret=True)
        return made[-1]

    yield make
    left, failed = [], []
    for stack in made:  # each, even after one fails
        try:
            stack.remove()
        except Exception as exc:  # named below, once every stack had its turn
            failed.append(f"{stack.prefix}: {exc}")
        left += stack.docker_objects()
    assert (failed, left) == ([], []), f"removing failed: {failed}; left on the engine: {left}"
