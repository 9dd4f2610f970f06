"""The live stack's migration step on the engine: a failed migration fails `up` with its own
words and keeps the API from starting; once the revision is fixed, the next `up` converges."""

import time
from pathlib import Path

import pytest
from pulumi import automation as auto

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


def head(versions: Path) -> str:
    revisions = {p.stem.split("_")[1]: p.read_text() for p in versions.glob("*.py")}
    parents = {line.split('"')[1] for text in revisions.values() for line in text.splitlines()
               if line.startswith("down_revision") and '"' in line}  # fmt: skip
    (last,) = set(revisions) - parents
    return last


def test_a_failed_migration_fails_up_with_its_reason_and_the_fix_converges(
    make_stack: StackFactory, tmp_path: Path
) -> None:
    checkout = copy_checkout(tmp_path / "checkout")
    versions = checkout / "alembic/versions"
    broken = versions / "20991231_0badc0ffee00_broken.py"
    broken.write_text(BROKEN.format(head=head(versions)))
    stack = make_stack("live", sourceDir=str(checkout))
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    lines = [line.strip() for line in str(failure.value).splitlines()]
    print("\n".join(line for line in lines if line.startswith("error:")))
    assert any(
        line == "error: the migrations failed (exit code 1): alembic upgrade head failed: "
        'relation "no_such_table" does not exist'
        for line in lines
    ), failure.value
    assert (
        docker("container", "ls", "--all", "--quiet", f"--filter=name={stack.prefix}-backend") == ""
    )
    broken.unlink()
    started = time.monotonic()
    converges(stack, "ok")
    record("live: up after the fixed revision, until /health ok", time.monotonic() - started)
