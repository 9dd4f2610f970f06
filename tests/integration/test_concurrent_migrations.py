"""Several `alembic upgrade head` at once on one fresh database: alembic/env.py's advisory lock
lets one migrate while the others wait, then find nothing left to do."""

import os
import subprocess
import sys
from collections.abc import Callable

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.db import ROOT, Database, admin

PROCESSES, ROUNDS = 4, 3
# `alembic upgrade head`, held until a line arrives on stdin: the processes load first, then all
# begin migrating within milliseconds. Without the lock a round fails about 9 times in 10.
UPGRADE_ON_GO = (
    "import sys; from alembic.config import main; import app.database, app.models;"
    " print('ready', flush=True); sys.stdin.readline(); main(['upgrade', 'head'], prog='alembic')"
)
# Every object a migration creates, one row each, sorted: a duplicate would show twice.
CATALOG = """
SELECT 'table', tablename, '' FROM pg_tables WHERE schemaname = 'public'
UNION ALL SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL SELECT 'constraint', conrelid::regclass || '.' || conname, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT 'type', typname, typtype::text FROM pg_type
  WHERE typnamespace = 'public'::regnamespace
UNION ALL SELECT 'sequence', sequencename, '' FROM pg_sequences WHERE schemaname = 'public'
UNION ALL SELECT 'alembic_version', version_num, '' FROM alembic_version
ORDER BY 1, 2, 3
"""


def catalog(url: str) -> list[tuple[str, ...]]:
    engine = admin(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(CATALOG))]
    engine.dispose()
    return rows


def upgrade_at_once(url: str) -> list[tuple[int, str]]:
    """Exit status and output of each of PROCESSES upgrades started together."""
    env = os.environ | {"DATABASE_URL": url, "MOCK_MODE": "false"}
    processes: list[subprocess.Popen[str]] = []
    try:
        for _ in range(PROCESSES):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-c", UPGRADE_ON_GO],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        for process in processes:
            assert process.stdout is not None and process.stdout.readline() == "ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=120)[0] for process in processes]
        return [
            (process.returncode, output) for process, output in zip(processes, outputs, strict=True)
        ]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_four_simultaneous_upgrades_all_succeed_and_create_every_object_once(
    fresh_database: Callable[[], str], database: Database
) -> None:
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    one_upgrade = catalog(database.owner_url)
    for _ in range(ROUNDS):
        url = fresh_database()
        results = upgrade_at_once(url)
        assert [status for status, _ in results] == [0] * PROCESSES, results
        schema = catalog(url)
        assert [row[1] for row in schema if row[0] == "alembic_version"] == [head]
        assert schema == one_upgrade
