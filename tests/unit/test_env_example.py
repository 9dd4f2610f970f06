"""`.env.example` lists every setting the API and Alembic read, each with its default."""

import re

import pytest

from app.config import MigrationSettings, Settings
from tests.db import ROOT

EXAMPLE = ROOT / ".env.example"
# `NAME=value`, or `# NAME=...` for a setting whose default is "unset".
ENTRY = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$")


def entries() -> dict[str, str]:
    found = [ENTRY.match(line) for line in EXAMPLE.read_text().splitlines()]
    return {match[1]: match[2] for match in found if match}


def test_it_lists_exactly_the_settings_the_api_and_alembic_read() -> None:
    # The API's Settings, plus MIGRATION_DATABASE_URL (MigrationSettings holds both).
    read = {name.upper() for name in MigrationSettings.model_fields}
    assert "MIGRATION_DATABASE_URL" in read and {n.upper() for n in Settings.model_fields} < read
    assert set(entries()) == read


def test_its_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in MigrationSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    from_example = Settings(_env_file=EXAMPLE, mock_mode=True)  # else DATABASE_URL is needed
    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    assert from_example.model_dump() == defaults | {"mock_mode": True}
    assert entries()["MOCK_MODE"] == "false"
