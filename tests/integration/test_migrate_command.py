"""`python -m app.migrate`, as the deployment runs it before the API starts: as the owner, with
DATABASE_URL naming the API's role."""

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.config import MigrationSettings
from app.roles import group_name
from tests.db import ROOT, admin, execute

pytestmark = pytest.mark.integration
SETTINGS = {name.upper() for name in MigrationSettings.model_fields}  # left unset


def migrate(
    owner_url: str | None, api_url: str, *, seed: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | {"DATABASE_URL": api_url}
    if seed:
        env["SEED_SAMPLE_DATA"] = "true"
    if owner_url is not None:
        env["MIGRATION_DATABASE_URL"] = owner_url
    command = [sys.executable, "-m", "app.migrate"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def as_user(url: str, user: str, password: str) -> str:
    return make_url(url).set(username=user, password=password).render_as_string(hide_password=False)


def assert_tells_nothing_secret(result: subprocess.CompletedProcess[str], *secret: str) -> None:
    output = result.stdout + result.stderr
    assert "postgresql://" not in output
    for value in secret:
        assert value not in output


@pytest.fixture
def login() -> Iterator[Callable[[str], str]]:
    """`login(owner_url)`: a new role name for DATABASE_URL, dropped after the test."""
    made: list[tuple[str, str]] = []

    def make(owner_url: str) -> str:
        made.append((owner_url, f"ogf_login_{secrets.token_hex(4)}"))
        return made[-1][1]

    yield make
    for owner_url, name in made:
        execute(owner_url, f"DROP ROLE IF EXISTS {name}")


def group(url: str) -> str:
    """The API group of the database at `url`."""
    return group_name(str(make_url(url).database))


def whoami(url: str) -> tuple[str, bool]:
    """The user `url` logs in as, and whether it has the group's privileges."""
    with admin(url).connect() as connection:
        row = connection.execute(
            text("SELECT current_user, pg_has_role(:group, 'USAGE')"), {"group": group(url)}
        ).one()
        connection.execute(text("SELECT count(*) FROM assets"))
    return str(row[0]), bool(row[1])


def test_the_api_role_is_made_with_database_urls_password_and_kept_in_step(
    fresh_database: Callable[[], str], login: Callable[[str], str]
) -> None:
    owner_url = fresh_database()
    user, first, second = login(owner_url), secrets.token_hex(12), secrets.token_hex(12)
    made = migrate(owner_url, as_user(owner_url, user, first))
    assert made.returncode == 0, made.stderr
    assert whoami(as_user(owner_url, user, first)) == (user, True)
    assert f"the API's role {user} created: a member of {group(owner_url)}" in made.stderr
    again = migrate(owner_url, as_user(owner_url, user, first))
    assert again.returncode == 0, again.stderr
    assert "Running upgrade" not in again.stderr
    changed = migrate(owner_url, as_user(owner_url, user, second))
    assert changed.returncode == 0, changed.stderr
    assert whoami(as_user(owner_url, user, second)) == (user, True)
    with pytest.raises(OperationalError, match="password authentication failed"):
        whoami(as_user(owner_url, user, first))
    for result in (made, again, changed):
        assert_tells_nothing_secret(result, first, second, str(make_url(owner_url).password))


def test_with_database_url_alone_the_owner_migrates_and_no_role_is_made(
    fresh_database: Callable[[], str],
) -> None:
    owner_url = fresh_database()
    result = migrate(None, owner_url)
    assert result.returncode == 0, result.stderr
    assert "DATABASE_URL names the owner, or nothing: no role of the API's" in result.stderr


def test_an_unreachable_owner_is_one_line_naming_migration_database_url(
    fresh_database: Callable[[], str], login: Callable[[str], str]
) -> None:
    owner_url = fresh_database()
    wrong = secrets.token_hex(12)
    user = str(make_url(owner_url).username)
    result = migrate(as_user(owner_url, user, wrong), as_user(owner_url, login(owner_url), wrong))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: cannot reach the database in MIGRATION_DATABASE_URL: ")
    assert line.endswith(f'password authentication failed for user "{user}"')
    assert_tells_nothing_secret(result, wrong)


@pytest.fixture
def owner_without_createrole(server_url: str) -> Iterator[str]:
    """A database owned by a role that may not create roles: its owner's URL. Its API group is
    made by an administrator, who lets the owner grant it (as a managed database may need)."""
    name, password = f"ogf_plain_{secrets.token_hex(4)}", secrets.token_hex(12)
    execute(
        server_url,
        f"CREATE ROLE {name} LOGIN PASSWORD '{password}'",
        f"CREATE DATABASE {name} OWNER {name}",
        f"CREATE ROLE {group_name(name)} NOLOGIN",
        f"GRANT {group_name(name)} TO {name} WITH ADMIN OPTION",
    )
    owner = make_url(server_url).set(username=name, password=password, database=name)
    yield owner.render_as_string(hide_password=False)
    execute(
        server_url,
        f"DROP DATABASE {name} WITH (FORCE)",
        f"DROP ROLE {name}",
        f"DROP ROLE {group_name(name)}",
    )


def test_an_owner_who_may_not_create_roles_gets_postgresqls_refusal_in_one_line(
    owner_without_createrole: str,
) -> None:
    user, password = f"ogf_login_{secrets.token_hex(4)}", secrets.token_hex(12)
    result = migrate(owner_without_createrole, as_user(owner_without_createrole, user, password))
    assert result.returncode == 1
    assert "Running upgrade" in result.stderr  # the group role exists: the migrations need none
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(
        f"error: setting up the API's role {user} (DATABASE_URL's user) failed:"
        " permission denied to create role"
    )
    assert_tells_nothing_secret(result, password)


def test_the_group_role_itself_is_refused_as_database_urls_user(
    fresh_database: Callable[[], str],
) -> None:
    owner_url = fresh_database()
    result = migrate(owner_url, as_user(owner_url, group(owner_url), secrets.token_hex(12)))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: DATABASE_URL's user must not be {group(owner_url)}, the role the migrations"
        " grant to: name a role of its own (ossgameforge_app, say)"
    )


def test_a_login_role_named_as_the_group_is_refused_as_the_group(
    fresh_database: Callable[[], str], login: Callable[[str], str]
) -> None:
    """The owner named `<database>_api`, say: as the group, it would make the API its member."""
    owner_url = fresh_database()
    execute(owner_url, f'CREATE ROLE "{group(owner_url)}" LOGIN')
    user, password = login(owner_url), secrets.token_hex(12)
    result = migrate(owner_url, as_user(owner_url, user, password))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: alembic upgrade head failed: the role {group(owner_url)} exists and can log in"
        " or is a superuser, so it can't be this database's API group (the migrations grant the"
        " API's privileges to it): rename that role"
    )
    with pytest.raises(OperationalError, match="password authentication failed"):
        whoami(as_user(owner_url, user, password))  # not made: the transaction rolled back


def test_the_api_role_of_one_database_is_refused_anothers_tables(
    fresh_database: Callable[[], str], login: Callable[[str], str]
) -> None:
    """One group per database: two stacks on one managed server keep to their own rows."""
    first, second = fresh_database(), fresh_database()
    password = secrets.token_hex(12)
    users = [login(first), login(second)]
    for owner_url, user in zip((first, second), users, strict=True):
        made = migrate(owner_url, as_user(owner_url, user, password))
        assert made.returncode == 0, made.stderr
    assert whoami(as_user(first, users[0], password)) == (users[0], True)
    with pytest.raises(ProgrammingError, match="permission denied for table assets"):
        whoami(as_user(second, users[0], password))


def test_with_seed_sample_data_the_samples_go_in_before_the_api_starts_and_once(
    fresh_database: Callable[[], str], login: Callable[[str], str]
) -> None:
    owner_url = fresh_database()
    api_url = as_user(owner_url, login(owner_url), secrets.token_hex(12))
    first = migrate(owner_url, api_url, seed=True)
    assert first.returncode == 0, first.stderr
    added = "seed: assets 6 added of 6, generation_logs 6 added of 6 (SEED_SAMPLE_DATA)"
    assert added in first.stderr
    again = migrate(owner_url, api_url, seed=True)
    assert again.returncode == 0, again.stderr
    assert "seed: assets 0 added of 6, generation_logs 0 added of 6" in again.stderr
    assert "seed:" not in migrate(owner_url, api_url).stderr  # off unless set


def test_an_existing_api_role_with_powers_is_refused(
    fresh_database: Callable[[], str], server_url: str
) -> None:
    owner_url, user = fresh_database(), f"ogf_login_{secrets.token_hex(4)}"
    execute(server_url, f"CREATE ROLE {user} LOGIN CREATEDB BYPASSRLS")
    try:
        result = migrate(owner_url, as_user(owner_url, user, secrets.token_hex(12)))
    finally:
        execute(server_url, f"DROP ROLE {user}")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: DATABASE_URL's user {user} exists with CREATEDB, BYPASSRLS, which the API's"
        " role must not have: name another role, or take them away (ALTER ROLE)"
    )
