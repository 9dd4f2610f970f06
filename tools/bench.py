"""`nox -s bench`: the app beside the naive design (tools/reference_app.py) on one database,
one uvicorn worker each on 127.0.0.1, wrk with one thread:

- health: the app's `/health` (cached probe) against its own `/health/live` and the naive
  `/health` (`SELECT 1` on every call), at 16 and 64 connections;
- data: `GET /assets?limit=20` and `POST /assets`, app against reference, at 16 connections;
- pages: sequential latency of `/generation-logs` pages at 1k and 1M rows (tools/bench_pages.py);
- the per-test cost of the integration suite's rollback isolation.

`--request-log` measures only what the request log costs (tools/bench_request_log.py).

Reports figures against the targets and never fails on timing; fails when wrk is missing or a
server can't start.
"""

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from tools import bench_request_log
from tools.bench_pages import isolation_overhead_us, page_latencies, seed
from tools.load import ROOT, Load, LoadError, run_wrk, uvicorn_server, wrk_path

REFERENCE = "tools.reference_app:app"
ASSET = json.dumps(
    {"project_id": "bench", "path": "sprites/hero.png", "type": "image", "consent_hash": "a" * 64}
)


class Target(NamedTuple):
    name: str
    server: str  # "app" or "naive"
    path: str
    method: str = "GET"
    body: str | None = None


HEALTH = [
    Target("app /health/live", "app", "/health/live"),
    Target("app /health", "app", "/health"),
    Target("naive /health", "naive", "/health"),
]
DATA = [
    Target("app GET /assets", "app", "/assets?limit=20"),
    Target("naive GET /assets", "naive", "/assets?limit=20"),
    Target("app POST /assets", "app", "/assets", "POST", ASSET),
    Target("naive POST /assets", "naive", "/assets", "POST", ASSET),
]
# (row, baseline, at least this many times the baseline's req/s)
TARGETS = [
    ("app /health", "app /health/live", 0.9),
    ("app /health", "naive /health", 10.0),
    ("app GET /assets", "naive GET /assets", 3.0),
    ("app POST /assets", "naive POST /assets", 2.0),
]


def interleaved(
    urls: dict[str, str], targets: list[Target], connections: int, seconds: int, rounds: int
) -> dict[str, Load]:
    """Each target for `seconds`, in `rounds` alternating slices: a change in the machine's
    load during the run hits all alike."""
    slices: dict[str, list[Load]] = {target.name: [] for target in targets}
    for _ in range(rounds):
        for target in targets:
            load = run_wrk(
                urls[target.server],
                [target.path],
                seconds=seconds // rounds,
                connections=connections,
                method=target.method,
                body=target.body,
            )
            slices[target.name].append(load)
    return {name: sum(parts[1:], parts[0]) for name, parts in slices.items()}


def row(name: str, connections: int, load: Load) -> dict[str, Any]:
    return {
        "name": name,
        "connections": connections,
        "rps": load.rps,
        "p50_ms": load.latency_ms(50),
        "p99_ms": load.latency_ms(99),
        "errors": load.errors,
    }


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
    rows: list[dict[str, Any]] = []
    with database(temp) as (url, source):
        seed(url, assets=1000, logs=1000)
        env = {"DATABASE_URL": url, "MOCK_MODE": "false"}
        with (
            uvicorn_server(env, temp / "app.log", access_log=False) as app,
            uvicorn_server(env, temp / "naive.log", access_log=False, app=REFERENCE) as naive,
        ):
            urls = {"app": app.url, "naive": naive.url}
            for target in HEALTH + DATA:  # warm-up
                run_wrk(urls[target.server], [target.path], seconds=1, connections=16)
            # Data before health at 64: there the naive design can stall (README), and would
            # still be recovering when measured next.
            for targets, connections in [(HEALTH, 16), (DATA, 16), (HEALTH, 64)]:
                load = interleaved(urls, targets, connections, args.seconds, rounds=5)
                rows += [row(name, connections, figures) for name, figures in load.items()]
            pages = {"1k": page_latencies(app.url, args.samples)}
            seed(url, assets=0, logs=args.rows)
            pages[f"{args.rows // 1000}k"] = page_latencies(app.url, args.samples)
        isolation = isolation_overhead_us(url, args.runs)
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": source,
        "seconds_per_row": args.seconds,
        "rows": rows,
        "pages_ms": pages,
        "isolation_us": isolation,
    }


def report(figures: dict[str, Any]) -> str:
    lines = [
        f"one uvicorn worker per app on 127.0.0.1, {figures['database']},"
        f" {figures['machine']['cpus']} CPUs; wrk -t1,"
        f" {figures['seconds_per_row']} s per row in 5 alternating slices",
        f"{'':<20}{'conns':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}",
    ]
    by_name = {(r["name"], r["connections"]): r for r in figures["rows"]}
    for r in figures["rows"]:
        lines.append(
            f"{r['name']:<20}{r['connections']:>6}{r['rps']:>8.0f}{r['p50_ms']:>8.2f}"
            f"{r['p99_ms']:>8.2f}{r['errors']:>7}"
            + ("  no answer within wrk's 2 s timeout" if not r["rps"] else "")
        )
    lines.append("targets (req/s ratios, 0 errors):")
    for name, baseline, minimum in TARGETS:
        for (row_name, connections), r in by_name.items():
            base = by_name.get((baseline, connections))
            if row_name == name and base and base["rps"]:
                ratio = r["rps"] / base["rps"]
                met = "met" if ratio >= minimum and r["errors"] == 0 else "NOT met"
                lines.append(
                    f"  {name} / {baseline} at {connections}: {ratio:.2f}x"
                    f" (target ≥ {minimum}x) {met}"
                )
    lines.append("pages of /generation-logs?limit=20, sequential, median ms:")
    for rows, pages in figures["pages_ms"].items():
        lines.append(f"  {rows:>6} rows: " + ", ".join(f"{k} {v:.2f}" for k, v in pages.items()))
    isolation = figures["isolation_us"]
    lines.append(
        f"integration-test isolation: {isolation['empty_test']:.0f} µs per empty test,"
        f" {isolation['one_query_test']:.0f} µs more per test with one query"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="per row (default: 10)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="large generation_logs")
    parser.add_argument("--samples", type=int, default=200, help="requests per page figure")
    parser.add_argument("--runs", type=int, default=2000, help="isolation runs (default: 2000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--request-log", action="store_true", help="/health/live with and without")
    args = parser.parse_args(argv)
    if args.seconds < 5:
        parser.error("--seconds must be at least 5: each row is measured in 5 slices")
    try:
        wrk_path()
        with tempfile.TemporaryDirectory(prefix="ogf-bench-") as temp:
            if args.request_log:
                figures = bench_request_log.measure(args.seconds, Path(temp))
            else:
                figures = measure(args, Path(temp))
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(bench_request_log.report(figures, args.seconds) if args.request_log else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
