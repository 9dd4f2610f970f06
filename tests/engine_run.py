"""What the suites that drive the real Pulumi engine share (tests/stack on Docker, tests/k8s on
Kubernetes): their figures, the error lines a person reads, and the SDK's leftovers to ignore."""

import os
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pulumi import automation as auto


class Figures:
    """Timings in seconds by figure, printed as a section of pytest's terminal summary."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.values: dict[str, list[float]] = {}

    def record(self, figure: str, seconds: float) -> None:
        self.values.setdefault(figure, []).append(seconds)

    @contextmanager
    def timed(self, figure: str) -> Iterator[None]:
        """Records the block's time (when it ends without an error)."""
        started = time.monotonic()
        yield
        self.record(figure, time.monotonic() - started)

    def report(self, terminalreporter: Any) -> None:
        if self.values:
            terminalreporter.section(self.title)
            for figure, values in self.values.items():
                terminalreporter.write_line(f"{figure}: " + ", ".join(f"{v:.1f}" for v in values))


def ignore_unclosed_inline_server(config: pytest.Config) -> None:
    """When the engine stops a program because a resource failed, the Pulumi SDK's inline
    server leaves that run's event loop unclosed (pulumi/automation/_server.py); it (with its
    self-pipe sockets and the program's coroutine) are reported when the thread ends, often
    after the last test. Call from `pytest_configure`."""
    left = (
        "<function BaseEventLoop.__del__",
        "<socket.socket fd=\\d+, family=1,",
        "<coroutine object run_in_stack",
    )
    for unclosed in left:
        message = f"Exception ignored in. {unclosed}"
        category = "pytest.PytestUnraisableExceptionWarning"
        config.addinivalue_line("filterwarnings", f"ignore:{message}:{category}")  # in a test
        warnings.filterwarnings(  # after the last one
            "ignore", message, pytest.PytestUnraisableExceptionWarning
        )


def quiet(line: str) -> None:
    """The engine's output, shown only with STACK_VERBOSE set."""
    if os.environ.get("STACK_VERBOSE"):
        print(line, end="")


def error_lines(operation: Callable[[], object]) -> list[str]:
    """The error lines of an `up` or `preview` that must fail, as a person reads them."""
    with pytest.raises(auto.CommandError) as failure:
        operation()
    text = str(failure.value)  # the command, its code, then its stdout and stderr, labelled
    lines = [line.strip().removeprefix("stdout: ").removeprefix("stderr: ")
             for line in text.splitlines() if "error" in line.lower()]  # fmt: skip
    print("\n".join(lines))  # what the person reads, in the test's output
    return lines
