"""Clients that load the API from threads and keep every answer, to check what a client saw."""

import threading
import time
from typing import Any, NamedTuple

import httpx2
import pytest

OK = {"status": "ok", "services": {"database": "ok"}}
DEGRADED = {"status": "degraded", "services": {"database": "error"}}
# Text that would mean an exception, the driver or the database's own words reached a client.
LEAK_MARKERS = (
    "traceback",
    "exception",
    "psycopg",
    "sqlalchemy",
    "operationalerror",
    "connection to server",
    "password",
    "fatal:",
    ".s.pgsql",
    'file "',
)


class Answer(NamedTuple):
    path: str
    status: int
    body: str
    sent: float
    seconds: float

    @property
    def received(self) -> float:
        return self.sent + self.seconds


class RecordedLoad:
    """Threads requesting `paths` in turn until the block ends; every answer is kept."""

    def __init__(self, url: str, paths: list[str], threads: int = 4) -> None:
        self.answers: list[Answer] = []
        self.unanswered: list[str] = []
        self._url, self._paths = url, paths
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, offset: int) -> None:
        paths = self._paths[offset % len(self._paths) :] + self._paths[: offset % len(self._paths)]
        with httpx2.Client(base_url=self._url, timeout=10) as client:
            while not self._stop.is_set():
                for path in paths:
                    sent = time.monotonic()
                    try:
                        response = client.get(path)
                    except httpx2.TransportError as exc:
                        self.unanswered.append(f"{path}: {exc!r}")
                        continue
                    seconds = time.monotonic() - sent
                    self.answers.append(
                        Answer(path, response.status_code, response.text, sent, seconds)
                    )

    def __enter__(self) -> "RecordedLoad":
        for thread in self._threads:
            thread.start()
        time.sleep(0.5)  # under way before the test touches the database
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def assert_no_leaks(answers: list[Answer]) -> None:
    for answer in answers:
        leaked = [marker for marker in LEAK_MARKERS if marker in answer.body.lower()]
        assert not leaked, f"{answer.path} answered {answer.status} {answer.body!r}"


def seconds_until(url: str, expected: tuple[int, Any], *, within: float) -> float:
    """Polls `url` until it answers `expected` (status, JSON body); fails after `within` s."""
    started = time.monotonic()
    while True:
        response = httpx2.get(url, timeout=within)
        elapsed = time.monotonic() - started
        if (response.status_code, response.json()) == expected:
            assert elapsed < within, f"{url} took {elapsed:.2f} s to answer {expected}"
            return elapsed
        if elapsed >= within:
            pytest.fail(f"{url} still answered {response.status_code} {response.text}")
        time.sleep(0.02)
