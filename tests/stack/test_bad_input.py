"""What a person sees when a stack can't be applied, and that fixing the cause is all it takes:
the next `up` converges and nothing of the failed attempt is left over."""

import os
import socket

from tests.engine_run import error_lines
from tests.stack.conftest import EngineStack, StackFactory
from tests.stack.test_stacks import _wait_for_health
from tools.docker import docker
from tools.engine import set_config


def converges(stack: EngineStack, database: str) -> None:
    """The next `up` succeeds, the stack serves, and a preview after it has nothing to do."""
    stack.up()
    _wait_for_health(stack, database)
    assert set(stack.stack.preview(color="never").change_summary) == {"same"}
    containers = docker("container", "ls", "--all", "--format={{.Names}}",
                        f"--filter=name={stack.prefix}-").split()  # fmt: skip
    expected = ["backend"] if database == "mock" else ["backend", "migrate", "postgres"]
    assert sorted(containers) == [f"{stack.prefix}-{name}" for name in expected]


def test_live_without_db_password_or_with_it_in_plain_text_names_the_key_and_makes_nothing(
    make_stack: StackFactory,
) -> None:
    stack = make_stack("live", password=False)
    lines = error_lines(stack.up)
    assert "error: Missing required configuration variable 'ossgameforge:dbPassword'" in lines
    assert "Traceback" not in "\n".join(lines)
    set_config(stack.stack, {"dbPassword": stack.password})  # without --secret
    lines = error_lines(stack.up)
    assert (
        "error: ossgameforge:dbPassword holds a password, and the stack file has it in plain text:"
        " set it again with `pulumi config set --secret dbPassword`"
    ) in lines
    assert stack.docker_objects() == []
    set_config(stack.stack, {"dbPassword": stack.password}, secret=True)
    converges(stack, "ok")


def test_a_malformed_config_value_is_one_line_naming_the_key(make_stack: StackFactory) -> None:
    stack = make_stack("mock", apiPort="eighty")
    lines = error_lines(stack.up)
    assert "error: ossgameforge:apiPort must be a port from 1 to 65535, got 'eighty'" in lines
    assert "Traceback" not in "\n".join(lines)
    assert stack.docker_objects() == []
    set_config(stack.stack, {"apiPort": str(stack.api_port)})
    converges(stack, "mock")


def test_a_host_port_in_use_is_named_and_the_next_up_converges(make_stack: StackFactory) -> None:
    stack = make_stack("mock")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", stack.api_port))
        taken.listen()
        lines = error_lines(stack.up)
    assert any(f"127.0.0.1:{stack.api_port}" in line and "already" in line for line in lines), lines
    converges(stack, "mock")


def test_an_unreachable_docker_engine_is_named_and_the_next_up_converges(
    make_stack: StackFactory, tmp_path: os.PathLike[str]
) -> None:
    stack = make_stack("mock")
    workspace = stack.stack.workspace
    reachable = dict(workspace.env_vars)
    workspace.env_vars = {**reachable, "DOCKER_HOST": f"unix://{tmp_path}/docker.sock"}
    lines = error_lines(stack.up)
    assert any("Cannot connect to the Docker daemon" in line for line in lines), lines
    workspace.env_vars = reachable
    assert stack.docker_objects() == []
    converges(stack, "mock")
