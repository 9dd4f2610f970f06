"""A database that accepts connections and never answers: a hung server, a black-holed network."""

import json
import time

import httpx2

from tests.reliability.clients import (
    DEGRADED,
    OK,
    RecordedLoad,
    assert_no_leaks,
    seconds_until,
)
from tests.reliability.conftest import Postgres, ServeFactory


def test_health_answers_error_within_a_second_and_mostly_at_once_while_the_database_hangs(
    hung_url: str, serve: ServeFactory
) -> None:
    server = serve(hung_url)
    with RecordedLoad(server.url, ["/health", "/health/ready"]) as load:
        time.sleep(3)  # past libpq's 2 s connect timeout, so a second probe hangs as well
    seconds = [answer.seconds for answer in load.answers]
    waited = sum(1 for s in seconds if s > 0.1) / len(seconds)
    print(f"{len(seconds)} answers, {waited:.1%} took over 0.1 s, slowest {max(seconds):.3f} s")
    assert {(a.path, a.status) for a in load.answers} == {("/health", 200), ("/health/ready", 503)}
    assert all(json.loads(a.body) == DEGRADED for a in load.answers)
    assert max(seconds) < 1.0
    assert waited < 0.05  # callers get the last answer or share one bounded wait, not their own
    assert_no_leaks(load.answers)


def test_database_endpoints_answer_503_within_a_second_while_the_database_hangs(
    hung_url: str, serve: ServeFactory
) -> None:
    server = serve(hung_url)
    with RecordedLoad(server.url, ["/assets"]) as load:
        time.sleep(3)
    print(f"{len(load.answers)} answers, slowest {max(a.seconds for a in load.answers):.3f} s")
    assert {a.status for a in load.answers} == {503}
    assert all(json.loads(a.body) == {"detail": "Database unavailable"} for a in load.answers)
    assert max(a.seconds for a in load.answers) < 1.0  # not libpq's 2 s connect_timeout
    assert_no_leaks(load.answers)


def test_health_shows_a_database_that_stops_answering_within_a_second_and_its_return_at_once(
    postgres: Postgres, serve: ServeFactory
) -> None:
    server = serve(postgres.url)
    with RecordedLoad(server.url, ["/health", "/health/ready"]) as load:
        with postgres.frozen():
            detected = seconds_until(f"{server.url}/health", (200, DEGRADED), within=1.0)
            # Pooled connections to a frozen server never answer: /assets must not wait on them.
            started = time.monotonic()
            assets = httpx2.get(f"{server.url}/assets", timeout=5)
            assert (assets.status_code, assets.json()) == (503, {"detail": "Database unavailable"})
            assert time.monotonic() - started < 0.5
            time.sleep(1)
        recovered = seconds_until(f"{server.url}/health", (200, OK), within=1.0)
    slowest = max(a.seconds for a in load.answers)
    print(f"hang shown after {detected:.3f} s, end after {recovered:.3f} s, slowest {slowest:.3f}")
    assert slowest < 1.0
    assert_no_leaks(load.answers)
