"""`nox -s bench_reload`: seconds from an edit of a route to its new answer on a mock stack on
the engine, with `reload` (no `up`) beside `pulumi up` after the same edit without it, in one
run. Needs the engine (`pulumi` on PATH) and a Docker engine; reports figures, never fails on
timing."""

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from tools.engine import copy_checkout, engine_env, open_stack, set_config
from tools.ports import free_ports

WELCOME = "Welcome to the OSSGameForge API"  # what `GET /` says (app/main.py)


def edit_welcome(checkout: Path, message: str) -> None:
    """Make `GET /` of the checkout's app say `message`.

    Python's bytecode cache knows a source changed by its mtime in whole seconds and its size,
    so no Python reloader sees an edit of the same size within the same second: the worker it
    starts would load the cached code. Edits in quick succession must change the size: see
    `edit_message`."""
    main = checkout / "app/main.py"
    text = main.read_text()
    current = WELCOME if WELCOME in text else text.split('{"message": "')[1].split('"')[0]
    main.write_text(text.replace(current, message))


def edit_message(label: str, attempt: int) -> str:
    """The message of edit `attempt`: each longer than the one before (see `edit_welcome`)."""
    return f"{label} {attempt}" + "!" * attempt


def welcome(api_url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{api_url}/", timeout=2) as response:
            message: str = json.load(response)["message"]
            return message
    except OSError:
        return None  # restarting


def wait_for_welcome(api_url: str, message: str, timeout: float = 60) -> float:
    """Seconds until `GET /` says `message`."""
    started = time.monotonic()
    while welcome(api_url) != message:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"`GET /` did not say {message!r} within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - started


def timed(edits: int, step: Callable[[str], None], api_url: str, label: str) -> list[float]:
    """Seconds from each edit to its answer; `step` runs after the edit (an `up`, or nothing)."""
    times = []
    for attempt in range(edits):
        message = edit_message(label, attempt)
        started = time.monotonic()
        step(message)
        wait_for_welcome(api_url, message)
        times.append(time.monotonic() - started)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench_reload --", description=__doc__)
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind (default 5)")
    args = parser.parse_args(argv)
    if args.edits < 1:
        parser.error(f"--edits must be at least 1, got {args.edits}")
    with tempfile.TemporaryDirectory(prefix="ogf-bench-reload-") as tmp:
        checkout = copy_checkout(Path(tmp) / "checkout")
        stack = open_stack(
            "mock", work_dir=Path(tmp) / "work", project="ogf-bench", env=engine_env(Path(tmp))
        )
        port = free_ports(1)[0]
        api_url = f"http://127.0.0.1:{port}"
        values = {"apiPort": str(port), "sourceDir": str(checkout), "reload": "true"}
        set_config(stack, {**values, "backendImage": "ossgameforge/backend:bench-reload"})
        try:
            stack.up(color="never")
            wait_for_welcome(api_url, WELCOME)

            def edit(message: str) -> None:
                edit_welcome(checkout, message)

            def edit_then_up(message: str) -> None:
                edit_welcome(checkout, message)
                stack.up(color="never")

            reload = timed(args.edits, edit, api_url, "reload")
            set_config(stack, {"reload": "false"})
            stack.up(color="never")
            rebuild = timed(args.edits, edit_then_up, api_url, "up")
        finally:
            stack.destroy(color="never")
            stack.workspace.remove_stack("mock")
    print(f"edit -> new answer, {args.edits} edits each (seconds): median, min, max")
    for label, times in (("reload, no up", reload), ("up (image rebuilt)", rebuild)):
        print(f"  {label:<20} {statistics.median(times):6.1f} {min(times):6.1f} {max(times):6.1f}")
    ratio = statistics.median(rebuild) / statistics.median(reload)
    print(f"  reload is {ratio:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
