"""Load on a real server: `uvicorn app.main:app` (or another app) as a process, and wrk with
exact percentiles.

Used by `nox -s bench` and by the reliability tests.
"""

import contextlib
import dataclasses
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx2

from tools.processes import reap

ROOT = Path(__file__).resolve().parent.parent
# `request` cycles through the paths; `done` prints the counts and the latency histogram as JSON.
WRK_SCRIPT = """
local paths, i = {%s}, 0
local method, body, headers = %s, %s, {["Content-Type"] = "application/json"}
request = function() i = i %% #paths + 1; return wrk.format(method, paths[i], headers, body) end
done = function(summary, latency, requests)
  local e, buckets = summary.errors, {}
  for n = 1, #latency do buckets[n] = string.format("[%%d,%%d]", latency(n)) end
  io.write(string.format('WRK_JSON {"requests": %%d, "seconds": %%f, "socket_errors": %%d,'
    .. ' "non_2xx": %%d, "latency_us": [%%s]}\\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status, table.concat(buckets, ",")))
end
"""


class LoadError(Exception):
    """Something the load needs is missing or broken; the message says what."""


class Server(NamedTuple):
    url: str
    pid: int
    log: Path


@dataclasses.dataclass(frozen=True)
class Load:
    """What wrk measured; `latency_us` counts the requests that took each number of µs."""

    requests: int
    seconds: float
    socket_errors: int
    non_2xx: int
    latency_us: Counter[int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non_2xx

    def latency_ms(self, percentile: float) -> float:
        """The time within which `percentile` % of the requests were answered."""
        rank, seen = percentile / 100 * self.latency_us.total(), 0
        for us in sorted(self.latency_us):
            seen += self.latency_us[us]
            if seen >= rank:
                return us / 1000
        return 0.0

    def __add__(self, other: "Load") -> "Load":
        return Load(
            self.requests + other.requests,
            self.seconds + other.seconds,
            self.socket_errors + other.socket_errors,
            self.non_2xx + other.non_2xx,
            self.latency_us + other.latency_us,
        )


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadError("wrk is not installed: `apt-get install wrk` (Debian and Ubuntu)")
    return path


def run_wrk(
    url: str,
    paths: list[str],
    *,
    seconds: int,
    connections: int = 64,
    method: str = "GET",
    body: str | None = None,
) -> Load:
    """Requests `paths` of `url` in turn on `connections` connections for `seconds`; `body`
    (ASCII JSON) goes with every request.

    One wrk thread: on a 2-core machine the other core is the server's.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        lua_body = "nil" if body is None else json.dumps(body)
        paths_list = ", ".join(json.dumps(path) for path in paths)
        script.write(WRK_SCRIPT % (paths_list, json.dumps(method), lua_body))
        script.flush()
        options = [f"-c{connections}", "-t1", f"-d{seconds}s", "-s", script.name]
        result = subprocess.run(
            [wrk_path(), *options, url],
            capture_output=True,
            text=True,
            timeout=seconds + 120,  # a loaded machine can delay wrk's exit
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if result.returncode != 0 or not lines:
        raise LoadError(f"wrk failed: {(result.stderr or result.stdout).strip()}")
    raw = json.loads(lines[0].removeprefix("WRK_JSON "))
    raw["latency_us"] = Counter(dict(raw["latency_us"]))
    return Load(**raw)


@contextlib.contextmanager
def uvicorn_server(
    env: dict[str, str], log: Path, *, access_log: bool = True, app: str = "app.main:app"
) -> Iterator[Server]:
    """`uvicorn <app>`, one worker on 127.0.0.1, writing its output to `log`; ready once
    `/health` answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    options += [] if access_log else ["--no-access-log"]
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, *options],
            cwd=ROOT,
            env=os.environ | {"PYTHONUNBUFFERED": "1"} | env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process.pid, log)
    try:
        _wait_until_serving(process, server)
        yield server
    finally:
        reap(process)


def _wait_until_serving(process: "subprocess.Popen[bytes]", server: Server) -> None:
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(f"{server.url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    tail = "".join(server.log.read_text().splitlines(keepends=True)[-5:])
    raise LoadError(f"the server did not start serving within 30 s; its log ends:\n{tail}")
