"""A day inside a stack: with `reload`, an edit to the checkout is served without an `up`;
without it, one `up` rebuilds the image; switching between the two converges."""

import time
from pathlib import Path

import pytest

from tests.engine_run import error_lines
from tests.stack.conftest import EngineStack, StackFactory, record
from tests.stack.test_bad_input import converges
from tools.bench_reload import WELCOME, edit_message, edit_welcome
from tools.bench_reload import wait_for_welcome as served
from tools.docker import docker
from tools.engine import copy_checkout, set_config


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path / "checkout")


def wait_for_welcome(stack: EngineStack, message: str) -> float:
    return served(f"http://127.0.0.1:{stack.api_port}", message)


def images(stack: EngineStack) -> list[str]:
    return [name for name in stack.docker_objects() if name.startswith("ossgameforge/backend:")]


def container_id(stack: EngineStack) -> str:
    return docker("container", "inspect", "--format={{.Id}}", f"{stack.prefix}-backend")


def test_with_reload_an_edit_is_served_without_an_up(
    make_stack: StackFactory, checkout: Path
) -> None:
    stack = make_stack("mock", reload="true", sourceDir=str(checkout))
    converges(stack, "mock")
    before = container_id(stack)
    assert stack.get("/")["message"] == WELCOME
    for attempt in range(3):
        edit_welcome(checkout, message := edit_message("Edited", attempt))
        record("reload: edit until served", wait_for_welcome(stack, message))
    assert container_id(stack) == before  # no up, no new container


def test_reload_on_off_on_converges_and_an_edit_without_it_takes_one_up(
    make_stack: StackFactory, checkout: Path
) -> None:
    stack = make_stack("mock", reload="true", sourceDir=str(checkout))
    converges(stack, "mock")
    set_config(stack.stack, {"reload": "false"})
    converges(stack, "mock")
    (image,) = images(stack)
    edit_welcome(checkout, "Rebuilt")
    assert stack.get("/")["message"] == WELCOME  # the image's copy is served
    started = time.monotonic()
    stack.up()
    wait_for_welcome(stack, "Rebuilt")
    record("no reload: edit, then up until served", time.monotonic() - started)
    (rebuilt,) = images(stack)
    assert rebuilt != image  # a new image, and the old one is gone
    set_config(stack.stack, {"reload": "true"})
    converges(stack, "mock")
    assert len(images(stack)) == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"reload": "sometimes"},
            "error: ossgameforge:reload must be true or false, got 'sometimes'",
        ),
        ({"sourceDir": "/nowhere"}, "error: ossgameforge:sourceDir: /nowhere has no app: set it"),
    ],
)
def test_a_bad_reload_setting_is_refused_at_preview(
    make_stack: StackFactory, values: dict[str, str], message: str
) -> None:
    stack = make_stack("mock", **values)
    lines = error_lines(lambda: stack.stack.preview(color="never"))
    assert any(line.startswith(message) for line in lines), lines
    assert stack.docker_objects() == []
