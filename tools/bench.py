"""`nox -s bench`: `/health` (real database probe) against `/health/live` under wrk, one uvicorn
worker on 127.0.0.1, and the per-test cost of the integration suite's rollback isolation.

Reports figures and never fails on timing; fails when wrk is missing or the server can't start.
"""

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx2

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("/health/live", "/health")
TARGETS = {"ratio_min": 0.8, "p99_ms_max": 10.0, "errors_max": 0}
# `request` cycles through the paths; `done` prints the counts and the latency histogram as JSON.
WRK_SCRIPT = """
local paths, i = {%s}, 0
request = function() i = i %% #paths + 1; return wrk.format(nil, paths[i]) end
done = function(summary, latency, requests)
  local e, buckets = summary.errors, {}
  for n = 1, #latency do buckets[n] = string.format("[%%d,%%d]", latency(n)) end
  io.write(string.format('WRK_JSON {"requests": %%d, "seconds": %%f, "socket_errors": %%d,'
    .. ' "non_2xx": %%d, "latency_us": [%%s]}\\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status, table.concat(buckets, ",")))
end
"""


class BenchError(Exception):
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
        raise BenchError("wrk is not installed: `apt-get install wrk` (Debian and Ubuntu)")
    return path


def run_wrk(url: str, paths: list[str], *, seconds: int, connections: int = 64) -> Load:
    """Requests `paths` of `url` in turn on `connections` connections for `seconds`.

    One wrk thread: on a 2-core machine the other core is the server's.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
        script.flush()
        options = [f"-c{connections}", "-t1", f"-d{seconds}s", "-s", script.name]
        result = subprocess.run(
            [wrk_path(), *options, url], capture_output=True, text=True, timeout=seconds + 30
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if result.returncode != 0 or not lines:
        raise BenchError(f"wrk failed: {(result.stderr or result.stdout).strip()}")
    raw = json.loads(lines[0].removeprefix("WRK_JSON "))
    raw["latency_us"] = Counter(dict(raw["latency_us"]))
    return Load(**raw)


@contextlib.contextmanager
def uvicorn_server(env: dict[str, str], log: Path, *, access_log: bool = True) -> Iterator[Server]:
    """`uvicorn app.main:app`, one worker on 127.0.0.1, writing its output to `log`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    options += [] if access_log else ["--no-access-log"]
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", *options],
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
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(process: "subprocess.Popen[bytes]", server: Server) -> None:
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(f"{server.url}/health/live", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    tail = "".join(server.log.read_text().splitlines(keepends=True)[-5:])
    raise BenchError(f"the server did not start serving within 30 s; its log ends:\n{tail}")


def interleaved(url: str, connections: int, *, seconds: int, rounds: int) -> dict[str, Load]:
    """Each of PATHS for `seconds`, in `rounds` alternating slices: a change in the machine's
    load during the run hits both alike."""
    slices: dict[str, list[Load]] = {path: [] for path in PATHS}
    for _ in range(rounds):
        for path, parts in slices.items():
            parts.append(run_wrk(url, [path], seconds=seconds // rounds, connections=connections))
    return {path: sum(parts[1:], parts[0]) for path, parts in slices.items()}


def isolation_overhead_us(url: str, runs: int) -> dict[str, float]:
    """What the `connection` + `session` fixtures of tests/integration/conftest.py add to a test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg2"))
    query = text("SELECT 1")

    def isolated(body: bool) -> None:
        with engine.connect() as connection:
            transaction = connection.begin()
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                if body:
                    session.execute(query)
            transaction.rollback()

    def bare() -> None:
        with engine.connect() as connection:
            connection.execute(query)

    def mean_us(step: Callable[[], None]) -> float:
        step()  # opens the pooled connection
        started = time.perf_counter()
        for _ in range(runs):
            step()
        return (time.perf_counter() - started) / runs * 1e6

    try:
        empty, one_query = mean_us(lambda: isolated(False)), mean_us(lambda: isolated(True))
        return {"empty_test": empty, "one_query_test": one_query - mean_us(bare)}
    finally:
        engine.dispose()


@contextlib.contextmanager
def database(temp: Path) -> Iterator[tuple[str, str]]:
    """DATABASE_URL if set, else an embedded PostgreSQL in `temp`; migrated to head."""
    from alembic import command
    from alembic.config import Config

    with contextlib.ExitStack() as stack:
        url, source = os.environ.get("DATABASE_URL", ""), "DATABASE_URL"
        if not url:
            from tools.embedded import embedded_postgres_url

            url = stack.enter_context(embedded_postgres_url(temp / "pg", durable=False))
            source = "embedded PostgreSQL 18 (fsync off)"
        os.environ["DATABASE_URL"] = url
        command.upgrade(Config(str(ROOT / "alembic.ini")), "head")
        yield url, source


def measure(args: argparse.Namespace, temp: Path) -> dict[str, Any]:
    rows = []
    with database(temp) as (url, source):
        env = {"DATABASE_URL": url, "MOCK_MODE": "false"}
        with uvicorn_server(env, temp / "server.log", access_log=False) as server:
            run_wrk(server.url, list(PATHS), seconds=2)  # warm-up
            for connections in args.connections:
                load = interleaved(server.url, connections, seconds=args.seconds, rounds=5)
                for path, figures in load.items():
                    ratio = figures.rps / load["/health/live"].rps
                    rows.append(
                        {"path": path, "connections": connections, "rps": figures.rps}
                        | {"p50_ms": figures.latency_ms(50), "p99_ms": figures.latency_ms(99)}
                        | {"max_ms": max(figures.latency_us) / 1000, "errors": figures.errors}
                        | ({"ratio": ratio} if path == "/health" else {})
                    )
        isolation = isolation_overhead_us(url, args.runs)
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": source,
        "seconds_per_row": args.seconds,
        "rows": rows,
        "isolation_us": isolation,
        "targets": TARGETS,
    }


def report(figures: dict[str, Any]) -> str:
    lines = [
        f"one uvicorn worker on 127.0.0.1, {figures['database']}, {figures['machine']['cpus']}"
        f" CPUs; wrk -t1, {figures['seconds_per_row']} s per row in 5 alternating slices",
        f"{'endpoint':<14}{'conns':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'errors':>7}{'ratio':>7}",
    ]
    for row in figures["rows"]:
        lines.append(
            f"{row['path']:<14}{row['connections']:>6}{row['rps']:>8.0f}{row['p50_ms']:>8.2f}"
            f"{row['p99_ms']:>8.2f}{row['max_ms']:>8.1f}{row['errors']:>7}"
            + (f"{row['ratio']:>7.2f}" if "ratio" in row else "")
        )
    isolation = figures["isolation_us"]
    lines += [
        f"targets: /health ≥ {TARGETS['ratio_min']}x /health/live req/s,"
        f" p99 ≤ {TARGETS['p99_ms_max']:.0f} ms, 0 errors",
        f"integration-test isolation: {isolation['empty_test']:.0f} µs per empty test,"
        f" {isolation['one_query_test']:.0f} µs more per test with one query",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="per row (default: 10)")
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[64, 16], help="wrk -c (default: 64 16)"
    )
    parser.add_argument("--runs", type=int, default=2000, help="isolation runs (default: 2000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.seconds < 5:
        parser.error("--seconds must be at least 5: each row is measured in 5 slices")
    try:
        wrk_path()
        with tempfile.TemporaryDirectory(prefix="ogf-bench-") as temp:
            figures = measure(args, Path(temp))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
