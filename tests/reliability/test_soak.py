"""A minute of wrk load on the live API: no errors, and resident memory that levels off."""

import os
import shutil

import pytest

from tests.reliability.conftest import Postgres, ServeFactory, process_status
from tools.load import run_wrk

WARM_UP_SECONDS, SOAK_SECONDS = 10, 60


def resident_kib(pid: int) -> int:
    return int(process_status(pid)["VmRSS"].removesuffix(" kB"))


@pytest.mark.soak
@pytest.mark.skipif(
    shutil.which("wrk") is None and not os.environ.get("CI"), reason="wrk is not installed"
)
def test_a_minute_of_load_has_no_errors_and_grows_memory_by_under_ten_percent(
    postgres: Postgres, serve: ServeFactory
) -> None:
    server = serve(postgres.url, access_log=False)
    paths = ["/health", "/health/ready", "/health/live", "/assets"]
    run_wrk(server.url, paths, seconds=WARM_UP_SECONDS)
    before = resident_kib(server.pid)
    load = run_wrk(server.url, paths, seconds=SOAK_SECONDS)
    after = resident_kib(server.pid)
    growth = (after - before) / before
    summary = (
        f"{load.requests} requests on {paths} in {load.seconds:.0f} s ({load.rps:.0f}/s,"
        f" p99 {load.latency_ms(99):.1f} ms, max {max(load.latency_us) / 1000:.0f} ms),"
        f" {load.socket_errors} socket errors, {load.non_2xx} non-2xx;"
        f" RSS {before} → {after} KiB ({growth:+.1%})"
    )
    print(summary)
    assert (load.socket_errors, load.non_2xx) == (0, 0), summary
    assert growth < 0.10, summary
