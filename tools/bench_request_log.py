"""`nox -s bench -- --request-log`: what the request log costs. `/health/live` on the app as
served, and on the same app without its RequestLog middleware (`tools.bench_request_log:app`),
in one run: mock mode (no database), one uvicorn worker each, each writing its log to a file,
wrk with one thread, alternating slices; req/s, latency and the server's CPU time per request.
Reports figures; never fails on timing."""

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from app.main import create_app
from app.request_log import RequestLog
from tools.load import Load, run_wrk, uvicorn_server

PATH = "/health/live"


def __getattr__(name: str) -> FastAPI:
    # `uvicorn tools.bench_request_log:app`: built on first access, as app.main's is.
    if name != "app":
        raise AttributeError(name)
    app = create_app()
    request_log: object = RequestLog
    app.user_middleware = [m for m in app.user_middleware if m.cls is not request_log]
    return app


def measure(seconds: int, temp: Path, rounds: int = 5) -> dict[str, Any]:
    """req/s, p50, p99, and the server's CPU time per request, of PATH with and without the
    request log, at 16 and 64 connections. CPU time per request is the steadier figure on a
    machine shared with other work: req/s moves with what else runs."""
    from tools.bench import row

    env = {"MOCK_MODE": "true", "LOG_FORMAT": "text"}
    rows: list[dict[str, Any]] = []
    with (
        uvicorn_server(env, temp / "app.log") as app,
        uvicorn_server(env, temp / "bare.log", app="tools.bench_request_log:app") as bare,
    ):
        servers = {"with request log": app, "without": bare}
        for server in servers.values():  # warm-up
            run_wrk(server.url, [PATH], seconds=1, connections=16)
        for connections in (16, 64):
            loads: dict[str, list[Load]] = {name: [] for name in servers}
            cpu = dict.fromkeys(servers, 0.0)
            for _ in range(rounds):  # alternating slices: a change in load hits both alike
                for name, server in servers.items():
                    before = cpu_seconds(server.pid)
                    loads[name].append(
                        run_wrk(
                            server.url, [PATH], seconds=seconds // rounds, connections=connections
                        )
                    )
                    cpu[name] += cpu_seconds(server.pid) - before
            for name, parts in loads.items():
                load = sum(parts[1:], parts[0])
                rows.append(
                    row(name, connections, load) | {"cpu_us": cpu[name] / load.requests * 1e6}
                )
        logged = sum(1 for line in (temp / "app.log").open() if f" GET {PATH} " in line)
        unlogged = sum(1 for line in (temp / "bare.log").open() if f" GET {PATH} " in line)
    return {"cpus": os.cpu_count(), "rows": rows, "lines": (logged, unlogged)}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used (Linux: /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(figures: dict[str, Any], seconds: int) -> str:
    lines = [
        f"{PATH}, mock mode, one uvicorn worker each, {figures['cpus']} CPUs; wrk -t1,"
        f" {seconds} s per row in 5 alternating slices",
        f"{'':<18}{'conns':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'CPU µs':>8}",
    ]
    by_name = {(r["name"], r["connections"]): r for r in figures["rows"]}
    for r in figures["rows"]:
        lines.append(
            f"{r['name']:<18}{r['connections']:>6}{r['rps']:>8.0f}{r['p50_ms']:>8.2f}"
            f"{r['p99_ms']:>8.2f}{r['errors']:>7}{r['cpu_us']:>8.0f}"
        )
    for connections in (16, 64):
        with_log, without = (
            by_name[("with request log", connections)],
            by_name[("without", connections)],
        )
        lines.append(
            f"at {connections}: {with_log['rps'] / without['rps']:.2f}x the req/s without it;"
            f" {with_log['cpu_us'] - without['cpu_us']:.0f} µs more server CPU per request"
            f" ({with_log['cpu_us'] / without['cpu_us']:.2f}x)"
        )
    logged, unlogged = figures["lines"]
    lines.append(f"request lines written: {logged} with the request log, {unlogged} without")
    return "\n".join(lines)
