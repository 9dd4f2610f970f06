import secrets
from pathlib import Path

import pytest

from app.config import (
    ConfigError,
    MigrationSettings,
    Settings,
    load_migration_settings,
    load_settings,
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in MigrationSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("Yes", True),
        ("false", False),
        ("0", False),
        ("NO", False),
        ("False", False),
    ],
)
def test_mock_mode_accepts_the_documented_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("MOCK_MODE", raw)
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db:5432/app")
    assert load_settings().mock_mode is expected


@pytest.mark.parametrize("raw", ["maybe", "on", "2", "", "tru"])
def test_mock_mode_rejects_anything_else_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("MOCK_MODE", raw)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value) == f"MOCK_MODE must be one of true/false/1/0/yes/no, got {raw!r}"


def test_live_mode_without_database_url_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match=r"^DATABASE_URL is not set: set it to a postgresql://"):
        load_settings()


def test_mock_mode_needs_no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_MODE", "true")
    assert load_settings().database_url is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://app@db/app", "DATABASE_URL must start with postgresql://, got mysql://"),
        ("not a url", "DATABASE_URL is not a URL; expected postgresql://"),
        ("postgresql://app@db:5432/", "DATABASE_URL names no database"),
        ("postgresql:///app", "DATABASE_URL names no host"),
    ],
)
def test_malformed_database_url_is_refused_with_one_line(
    monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_plain_postgresql_url_is_used_with_psycopg2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db:5432/app")
    url = load_settings().sqlalchemy_url
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg2",
        "db",
        5432,
        "app",
    )


def test_socket_url_with_host_in_query_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@/app?host=/run/postgresql")
    assert load_settings().sqlalchemy_url.query == {"host": "/run/postgresql"}


def test_password_never_shows_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    password = secrets.token_hex(8)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://app:{password}@db:5432/app")
    assert password not in repr(load_settings())


def test_health_timeout_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_MODE", "true")
    monkeypatch.setenv("HEALTH_TIMEOUT", "-1")
    with pytest.raises(ConfigError, match=r"^HEALTH_TIMEOUT: Input should be greater than 0"):
        load_settings()


def test_a_short_cursor_secret_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = secrets.token_hex(4)
    monkeypatch.setenv("MOCK_MODE", "true")
    monkeypatch.setenv("CURSOR_SECRET", secret)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert str(refused.value) == (
        "CURSOR_SECRET must be at least 16 characters (it signs the page cursors)"
    )
    assert secret not in str(refused.value)


def test_logs_are_text_unless_log_format_says_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_MODE", "true")
    assert load_settings().log_format == "text"
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert load_settings().log_format == "json"


def test_a_bad_log_format_is_refused_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MOCK_MODE", "true")
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert str(refused.value) == "LOG_FORMAT must be text or json, got 'yaml'"


def test_seed_sample_data_is_off_unless_set_and_takes_the_boolean_spellings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MOCK_MODE", "true")
    assert load_settings().seed_sample_data is False
    monkeypatch.setenv("SEED_SAMPLE_DATA", "yes")
    assert load_settings().seed_sample_data is True
    monkeypatch.setenv("SEED_SAMPLE_DATA", "y")
    with pytest.raises(ConfigError, match=r"^SEED_SAMPLE_DATA must be one of true/false"):
        load_settings()


def test_migrations_run_as_migration_database_url_else_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://api@db:5432/app")
    url, variable = load_migration_settings().owner
    assert (url.username, variable) == ("api", "DATABASE_URL")
    monkeypatch.setenv("MIGRATION_DATABASE_URL", "postgresql://owner@db:5432/app")
    url, variable = load_migration_settings().owner
    assert (url.username, url.drivername, variable) == (
        "owner",
        "postgresql+psycopg2",
        "MIGRATION_DATABASE_URL",
    )


def test_the_api_never_reads_the_owners_url(monkeypatch: pytest.MonkeyPatch) -> None:
    password = secrets.token_hex(8)
    monkeypatch.setenv("DATABASE_URL", "postgresql://api@db:5432/app")
    monkeypatch.setenv("MIGRATION_DATABASE_URL", f"postgresql://owner:{password}@db:5432/app")
    settings = load_settings()
    assert "migration_database_url" not in Settings.model_fields
    assert password not in repr(settings.model_dump())
