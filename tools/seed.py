"""`nox -s seed`: mock mode's sample rows, with the same ids, into DATABASE_URL (migrated first)
or the embedded dev database; rows already there are left alone, so a second run changes nothing.

The seeding itself is app/seed.py's, which the backend also runs at start with SEED_SAMPLE_DATA.
"""

import sys

from sqlalchemy import create_engine

from app.config import ConfigError, load_settings
from app.seed import Counts, report
from app.seed import seed as seed_engine

__all__ = ["main", "report", "seed"]


def seed(database_url: str) -> Counts:
    """Insert the samples missing from the database; per table, (rows added, samples)."""
    engine = create_engine(load_settings(mock_mode=False, database_url=database_url).sqlalchemy_url)
    try:
        return seed_engine(engine)
    finally:
        engine.dispose()


def main() -> int:
    from tools.devserver import live_database

    try:
        with live_database() as (url, source):
            print(f"{report(seed(url))} ({source})")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
