"""pytest-alembic's built-in tests of the migration history, each on a fresh database: one head,
upgrade from nothing to head one step at a time, the models match what the migrations build,
and every step downgrades and upgrades again.

Imported rather than inserted by `--test-alembic`: the plugin's automatic insertion fails under
pytest 9 (pyproject.toml turns the plugin off), and importing them is its documented alternative.
"""

from collections.abc import Callable, Iterator

import pytest
from pytest_alembic import create_alembic_fixture
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from tests.db import ROOT

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

alembic_runner = create_alembic_fixture({"file": str(ROOT / "alembic.ini")})


@pytest.fixture
def alembic_engine(fresh_database: Callable[[], str]) -> Iterator[Engine]:
    engine = create_engine(make_url(fresh_database()).set(drivername="postgresql+psycopg2"))
    yield engine
    engine.dispose()
