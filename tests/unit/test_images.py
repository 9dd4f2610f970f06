"""The Docker-backed nox sessions take a stand-in image only where the official one can't be had,
the stand-in exists and the setting is unset; and then turn Ryuk off."""

import pytest

from tools import images

POSTGRES, PYTHON = images.STAND_INS["postgres"], images.STAND_INS["python"]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The images the engine has (or could pull): empty, then filled by each test."""
    for setting in ("POSTGRES_IMAGE", "PYTHON_IMAGE", "TESTCONTAINERS_RYUK_DISABLED"):
        monkeypatch.delenv(setting, raising=False)
    present: set[str] = set()
    monkeypatch.setattr(images, "exists", present.__contains__)
    monkeypatch.setattr(images, "obtainable", present.__contains__)
    return present


def test_official_images_at_hand_change_nothing(engine: set[str]) -> None:
    engine.update({POSTGRES.official, PYTHON.official, POSTGRES.local, PYTHON.local})
    assert images.stand_in_env() == {}


def test_missing_official_images_give_the_stand_ins_and_ryuk_off(engine: set[str]) -> None:
    engine.update({POSTGRES.local, PYTHON.local})
    assert images.stand_in_env() == {
        "POSTGRES_IMAGE": POSTGRES.local,
        "PYTHON_IMAGE": PYTHON.local,
        "TESTCONTAINERS_RYUK_DISABLED": "true",
    }


def test_a_stand_in_not_built_is_not_named(engine: set[str]) -> None:
    engine.update({PYTHON.local})
    assert images.stand_in_env() == {
        "PYTHON_IMAGE": PYTHON.local,
        "TESTCONTAINERS_RYUK_DISABLED": "true",
    }


def test_settings_given_are_kept(engine: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    engine.update({POSTGRES.local, PYTHON.local})
    monkeypatch.setenv("POSTGRES_IMAGE", "registry.example/postgres:17")
    monkeypatch.setenv("TESTCONTAINERS_RYUK_DISABLED", "false")
    assert images.stand_in_env() == {"PYTHON_IMAGE": PYTHON.local}


def test_print_env_is_complete_for_a_shell_without_a_registry(engine: set[str]) -> None:
    # Before this, a shell that ran the README's eval then `nox -s integration` got 103 errors:
    # the stand-ins were named but Ryuk, whose image can't be pulled either, stayed on.
    engine.update({POSTGRES.local})  # the Python stand-in is not built yet: named all the same
    assert images.env_lines() == [
        f"export POSTGRES_IMAGE={POSTGRES.local}",
        f"export PYTHON_IMAGE={PYTHON.local}",
        "export TESTCONTAINERS_RYUK_DISABLED=true",
    ]


def test_print_env_names_the_official_images_where_they_can_be_had(engine: set[str]) -> None:
    engine.update({POSTGRES.official, PYTHON.official})
    assert images.env_lines() == [
        f"export POSTGRES_IMAGE={POSTGRES.official}",
        f"export PYTHON_IMAGE={PYTHON.official}",
    ]
