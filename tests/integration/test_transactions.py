"""The live app with its own sessions (no test override): what it answers 201 for is committed,
and a commit the database refuses is a 503 that keeps nothing."""

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text

from tests.conftest import ClientFactory
from tests.contract.shapes import log_body
from tests.db import Database, admin


@pytest.fixture
def own_database(migrated_database: Callable[[], Database]) -> Iterator[tuple[str, Engine]]:
    """A database of this test: the API role's URL, and an engine of the owner's."""
    database = migrated_database()
    engine = admin(database.owner_url)
    yield database.url, engine
    engine.dispose()


def stored_ids(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT id::text FROM generation_logs")))


def test_a_created_record_is_committed_before_the_answer(
    make_client: ClientFactory, own_database: tuple[str, Engine]
) -> None:
    url, engine = own_database
    response = make_client("live", url).post("/generation-logs", json=log_body("committed"))
    assert response.status_code == 201
    assert stored_ids(engine) == [response.json()["id"]]  # the app is still running


def test_a_write_the_database_refuses_at_commit_is_a_503_and_keeps_nothing(
    make_client: ClientFactory, own_database: tuple[str, Engine]
) -> None:
    url, engine = own_database
    with engine.connect() as connection:  # a check that runs at commit (statement end, autocommit)
        connection.execute(
            text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql"
                " AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON generation_logs"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        )
    response = make_client("live", url).post("/generation-logs", json=log_body("committed"))
    assert (response.status_code, response.json()) == (503, {"detail": "Database unavailable"})
    assert stored_ids(engine) == []
