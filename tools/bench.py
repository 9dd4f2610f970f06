"""`nox -s bench`: `/health` (real database probe) against `/health/live` under wrk, one uvicorn
worker on 127.0.0.1, and the per-test cost of the integration suite's rollback isolation.

Reports figures and never fails on timing; fails when wrk is missing or the server can't start.
"""

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tools.load import ROOT, Load, LoadError, run_wrk, uvicorn_server, wrk_path

PATHS = ("/health/live", "/health")
TARGETS = {"ratio_min": 0.8, "p99_ms_max": 10.0, "errors_max": 0}


def interleaved(url: str, connections: int, *, seconds: int, rounds: int) -> dict[str, Load]:
    """Each of PATHS for `seconds`, in `rounds` alternating slices: a change in the machine's
    load during the run hits both alike."""
    slices: dict[str, list[Load]] = {path: [] for path in PATHS}
    for _ in range(rounds):
        for path, parts in slices.items():
            parts.append(run_wrk(url, [path], seconds=seconds // rounds, connections=connections))
    return {path: sum(parts[1:], parts[0]) for path, parts in slices.items()}


def isolation_overhead_us(url: str, runs: int) -> dict[str, float]:
    """What the `connection` + `session` fixtures of tests/conftest.py add to a test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.db import joined_session, rolled_back

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg2"))
    query = text("SELECT 1")

    def isolated(body: bool) -> None:
        with rolled_back(engine) as connection, joined_session(connection) as session:
            if body:
                session.execute(query)

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
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
