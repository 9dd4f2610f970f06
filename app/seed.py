"""Mock mode's sample rows, with the same ids, into a live database: with SEED_SAMPLE_DATA by the
migration step (`python -m app.migrate`) and by the backend at start, and by `nox -s seed`.

One `INSERT ... ON CONFLICT (id) DO NOTHING` per table: a sample already there is left as it is
(whatever a person changed in it), so seeding again changes nothing, and processes that seed at
once each insert what is missing without failing. The API's role may do it: it needs INSERT, and
SELECT for the RETURNING of the ids added.
"""

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert

from app.models.core_models import Asset, GenerationLog, column_values
from app.services.mock_data import sample_rows

Counts = dict[str, tuple[int, int]]  # per table: rows added, samples


def seed(engine: Engine) -> Counts:
    """Insert the samples missing from the database at `engine`."""
    rows = sample_rows()
    counts = {}
    with engine.begin() as connection:
        for model in (Asset, GenerationLog):
            mine = [column_values(row) for row in rows if isinstance(row, model)]
            table = model.metadata.tables[model.__tablename__]
            statement = insert(table).values(mine).on_conflict_do_nothing(index_elements=["id"])
            added = connection.scalars(statement.returning(table.c.id)).all()
            counts[model.__tablename__] = (len(added), len(mine))
    return counts


def report(counts: Counts) -> str:
    """`seed: assets 6 added of 6, generation_logs 0 added of 6`"""
    return "seed: " + ", ".join(
        f"{table} {added} added of {total}" for table, (added, total) in counts.items()
    )
