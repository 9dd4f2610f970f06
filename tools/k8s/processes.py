"""The control plane's processes: started with a log file each, waited for, stopped by PID."""

import contextlib
import json
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

PIDS = "pids.json"  # {name: pid} in the state folder, written as each process starts
# klog's error and fatal lines (E1205 10:00:00.000000 ...), Go's flag errors, etcd's JSON ones.
TELLING = re.compile(r'^([EF]\d{4} |Error: |error: |\{"level":"(error|fatal)")')


class ClusterError(Exception):
    """The control plane could not start or stop; one line, naming the log to read."""


def spawn(name: str, command: list[str], state: Path, detach: bool) -> subprocess.Popen[bytes]:
    """Start `command` with its output in state/logs/`name`.log, and record its PID."""
    (state / "logs").mkdir(parents=True, exist_ok=True)
    with (state / "logs" / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=detach,  # `up` returns and leaves them running
        )
    pids = read_pids(state)
    pids[name] = process.pid
    (state / PIDS).write_text(json.dumps(pids))
    return process


def read_pids(state: Path) -> dict[str, int]:
    try:
        pids: dict[str, int] = json.loads((state / PIDS).read_text())
    except FileNotFoundError:
        return {}
    return pids


def check(name: str, process: subprocess.Popen[bytes], state: Path) -> None:
    """Raise a one-line ClusterError if `process` has exited."""
    code = process.poll()
    if code is None:
        return
    log = state / "logs" / f"{name}.log"
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    telling = [line for line in lines if TELLING.match(line)] or lines or ["no output"]
    if any("address already in use" in line for line in lines):
        why = "a port it was given is in use (another process took it): try again"
    else:
        why = telling[-1][:300]
    raise ClusterError(f"{name} exited with code {code}: {why}; see {log}")


def wait_until(
    what: str,
    ready: Callable[[], bool],
    processes: dict[str, subprocess.Popen[bytes]],
    state: Path,
    timeout: float,
) -> None:
    """Poll `ready` until it holds, failing as soon as one of `processes` exits."""
    deadline = time.monotonic() + timeout
    while True:
        for name, process in processes.items():
            check(name, process, state)
        if ready():
            return
        if time.monotonic() > deadline:
            logs = ", ".join(str(state / "logs" / f"{name}.log") for name in processes)
            raise ClusterError(f"{what} was not ready after {timeout:.0f}s; see {logs}")
        time.sleep(0.1)


def get(url: str, ca: Path | None = None, token: str | None = None) -> tuple[int, bytes]:
    """Status and body of a GET (0 when nothing answers)."""
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=2, context=context
        ) as answer:
            return answer.status, bytes(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, bytes(error.read())
    except (OSError, ssl.SSLError):
        return 0, b""


def ours(pid: int, state: Path) -> bool:
    """Whether `pid` still runs one of this state folder's processes: not a PID reused since,
    nor a zombie (whose command line is empty; so is a process's for a moment after exec)."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return str(state).encode() in arguments


def gone(pid: int, state: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while ours(pid, state):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stop(state: Path, names: tuple[str, ...] = (), timeout: float = 10.0) -> None:
    """SIGTERM each recorded process (of `names`, or all) still ours, newest first; SIGKILL
    after `timeout`."""
    pids = read_pids(state)
    for name, pid in reversed(pids.items()):
        if names and name not in names:
            continue
        for sent, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            if ours(pid, state):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sent)
            if gone(pid, state, wait):
                break
        else:
            raise ClusterError(f"{name} (pid {pid}) did not stop, even on SIGKILL")
    left = {name: pid for name, pid in pids.items() if names and name not in names}
    if left:
        (state / PIDS).write_text(json.dumps(left))
    else:
        (state / PIDS).unlink(missing_ok=True)
