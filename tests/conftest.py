"""The integration suite's PostgreSQL fixtures, shared with the contract and fuzz suites.

pytest refuses `pytest_plugins` naming another conftest (it would be registered twice), so the
fixtures are imported by name. tests/integration keeps its own copies, so a run of every suite
starts one server for tests/integration and one for the rest.
"""

from tests.integration.conftest import (  # noqa: F401
    client,
    connection,
    database_url,
    engine,
    fresh_database,
    server_url,
    session,
)
