"""The live stack's migration step on the engine: a failed migration fails `up` with its own
words and keeps the API from starting; once the revision is fixed, the next `up` converges."""

import time
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.engine_run import error_lines
from tests.stack.conftest import StackFactory, record
from tests.stack.test_bad_input import converges
from tools.docker import docker
from tools.engine import copy_checkout

BROKEN = '''"""A revision that fails"""

from alembic import op

revision = "0badc0ffee00"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE no_such_table ADD COLUMN x int")


def downgrade() -> None:
    pass
'''


def test_a_failed_migration_fails_up_with_its_reason_and_the_fix_converges(
    make_stack: StackFactory, tmp_path: Path
) -> None:
    checkout = copy_checkout(tmp_path / "checkout")
    versions = checkout / "alembic/versions"
    broken = versions / "20991231_0badc0ffee00_broken.py"
    head = ScriptDirectory.from_config(Config(str(checkout / "alembic.ini"))).get_current_head()
    broken.write_text(BROKEN.format(head=head))
    stack = make_stack("live", sourceDir=str(checkout))
    lines = error_lines(stack.up)
    assert (
        "error: the migrations failed (exit code 1): alembic upgrade head failed: "
        'relation "no_such_table" does not exist'
    ) in lines
    assert (
        docker("container", "ls", "--all", "--quiet", f"--filter=name={stack.prefix}-backend") == ""
    )
    broken.unlink()
    started = time.monotonic()
    converges(stack, "ok")
    record("live: up after the fixed revision, until /health ok", time.monotonic() - started)
