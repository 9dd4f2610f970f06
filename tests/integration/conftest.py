"""pytest-alembic's runner, on a fresh database of each test's own, migrated by its owner."""

from collections.abc import Callable, Iterator

import pytest
from pytest_alembic import create_alembic_fixture
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from tests.db import ROOT

alembic_runner = create_alembic_fixture({"file": str(ROOT / "alembic.ini")})


@pytest.fixture
def alembic_engine(fresh_database: Callable[[], str]) -> Iterator[Engine]:
    """The owner's engine on an empty database: where pytest-alembic's runner migrates."""
    engine = create_engine(make_url(fresh_database()).set(drivername="postgresql+psycopg2"))
    yield engine
    engine.dispose()
