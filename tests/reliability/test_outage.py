"""PostgreSQL stops under load and starts again; the one API process answers throughout, and logs
the outage once when it starts and once when it ends."""

import re
import time
from pathlib import Path

import httpx2

from tests.reliability.clients import (
    DEGRADED,
    OK,
    RecordedLoad,
    assert_no_leaks,
    seconds_until,
)
from tests.reliability.conftest import Postgres, ServeFactory, events, process_status


def assert_outage_logged_once(log: Path) -> None:
    """One line when the outage starts, one when it ends, whatever the number of requests."""
    lines = events(log)
    assert len(lines) == 2, lines
    started, ended = lines
    assert started.startswith("ERROR database unavailable: "), started
    assert re.match(r"WARNING database available again after \d+\.\d s\b", ended), ended


def test_health_shows_the_outage_within_a_second_and_recovery_within_two_without_restart(
    restored_postgres: Postgres, serve: ServeFactory
) -> None:
    server = serve(restored_postgres.url)
    with RecordedLoad(server.url, ["/health", "/health/ready", "/health/live"]) as load:
        restored_postgres.stop()
        detected = seconds_until(f"{server.url}/health", (200, DEGRADED), within=1.0)
        ready = httpx2.get(f"{server.url}/health/ready")
        time.sleep(1)
        restored_postgres.start()
        recovered = seconds_until(f"{server.url}/health", (200, OK), within=2.0)
    print(f"outage shown after {detected:.3f} s, recovery after {recovered:.3f} s")
    assert (ready.status_code, ready.json()) == (503, DEGRADED)
    assert not process_status(server.pid)["State"].startswith("Z")
    assert load.unanswered == [], "the process stopped answering"
    assert {a.status for a in load.answers if a.path == "/health/ready"} == {200, 503}
    assert_no_leaks(load.answers)
    assert_outage_logged_once(server.log)


def test_database_endpoints_answer_503_within_a_second_while_the_database_is_down(
    restored_postgres: Postgres, serve: ServeFactory
) -> None:
    server = serve(restored_postgres.url)
    with RecordedLoad(server.url, ["/assets", "/health"]) as load:
        restored_postgres.stop()
        down = time.monotonic()
        refused = httpx2.get(f"{server.url}/assets", timeout=5)
        time.sleep(1.5)
        up = time.monotonic()
        restored_postgres.start()
        recovered = seconds_until(f"{server.url}/health/ready", (200, OK), within=2.0)
        served = httpx2.get(f"{server.url}/assets")
    during = [a for a in load.answers if a.path == "/assets" and down <= a.sent < a.received < up]
    slowest = max(a.seconds for a in during)
    print(f"{len(during)} GET /assets during the outage, slowest {slowest:.3f} s")
    assert (refused.status_code, refused.json()) == (503, {"detail": "Database unavailable"})
    assert {a.status for a in during} == {503}
    assert slowest < 1.0
    assert served.status_code == 200, f"{recovered:.2f} s after the restart: {served.text}"
    assert load.unanswered == []
    assert_no_leaks(load.answers)
    assert_outage_logged_once(server.log)
