"""`nox -s seed`: mock mode's sample rows, with the same ids, into DATABASE_URL (migrated first)
or the embedded dev database; rows already there are left alone, so a second run changes nothing."""

import sys

from sqlalchemy import create_engine
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.config import ConfigError, load_settings
from app.models.core_models import Asset, GenerationLog, column_values
from app.services.mock_data import sample_rows


def seed(database_url: str) -> dict[str, tuple[int, int]]:
    """Insert the samples missing from the database; per table, (rows added, samples)."""
    engine = create_engine(load_settings(mock_mode=False, database_url=database_url).sqlalchemy_url)
    rows = sample_rows()
    counts = {}
    try:
        with Session(engine) as session, session.begin():
            for model in (Asset, GenerationLog):
                mine = [column_values(row) for row in rows if isinstance(row, model)]
                table = model.metadata.tables[model.__tablename__]
                statement = insert(table).values(mine).on_conflict_do_nothing(index_elements=["id"])
                added = session.scalars(statement.returning(table.c.id)).all()
                counts[model.__tablename__] = (len(added), len(mine))
    finally:
        engine.dispose()
    return counts


def report(counts: dict[str, tuple[int, int]]) -> str:
    return "seed: " + ", ".join(
        f"{table} {added} added of {total}" for table, (added, total) in counts.items()
    )


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
