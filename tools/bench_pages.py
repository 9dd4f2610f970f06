"""The bench's database side: rows to list, sequential page latencies, and the cost of the
integration suite's rollback isolation."""

import statistics
import time
from collections.abc import Callable

import httpx2
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# Rows as the API would write them: 1,000 users, three statuses, one a second going back.
SEED_LOGS = """
INSERT INTO generation_logs
  (id, user_id, input_hash, prompt_hash, model_version, status, latency_ms, created_at)
SELECT gen_random_uuid(), 'user-' || n % 1000, md5('i' || n) || md5('j' || n),
  md5('p' || n) || md5('q' || n), 'sdxl-1.0', (ARRAY['success', 'fail', 'cached'])[1 + n % 3],
  n % 30000, now() - make_interval(secs => n + :start)
FROM generate_series(1, :count) AS n
"""
SEED_ASSETS = """
INSERT INTO assets (id, project_id, path, type, metadata, consent_hash, created_at)
SELECT gen_random_uuid(), 'project-' || n % 50, 'sprites/' || n || '.png', 'image',
  '{"width": 64, "height": 64}', md5('c' || n) || md5('d' || n), now() - make_interval(secs => n)
FROM generate_series(1, :count) AS n
"""


def seed(url: str, *, assets: int, logs: int) -> None:
    """Add `assets` assets, and generation logs until there are `logs`."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg2"))
    with engine.begin() as connection:
        have = connection.scalar(text("SELECT count(*) FROM generation_logs")) or 0
        if logs > have:
            connection.execute(text(SEED_LOGS), {"start": have, "count": logs - have})
        if assets:
            connection.execute(text(SEED_ASSETS), {"count": assets})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE generation_logs, assets"))
    engine.dispose()


def page_latencies(server: str, samples: int) -> dict[str, float]:
    """Median ms of `samples` sequential requests: the first page, the first page of one user,
    and the 500th page reached by following `next_cursor` (when the table has 500 pages)."""
    with httpx2.Client(base_url=server, timeout=30) as client:

        def median_ms(url: str) -> float:
            times = []
            for _ in range(samples):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            return statistics.median(times)

        figures = {
            "first page": median_ms("/generation-logs?limit=20"),
            "first page of one user": median_ms("/generation-logs?limit=20&user_id=user-7"),
        }
        url = "/generation-logs?limit=20"
        for _ in range(499):
            cursor = client.get(url).json().get("next_cursor")
            if cursor is None:
                return figures
            url = f"/generation-logs?limit=20&cursor={cursor}"
        figures["page 500"] = median_ms(url)
        return figures


def isolation_overhead_us(url: str, runs: int) -> dict[str, float]:
    """What the `connection` + `session` fixtures of tests/conftest.py add to a test."""
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
