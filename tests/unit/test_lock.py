"""uv.lock is the one list of versions: whatever installs pins the uv it locks, and Dependabot
keeps the lock and the workflow's actions moving."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCKED_UV = next(
    package["version"]
    for package in tomllib.loads((ROOT / "uv.lock").read_text())["package"]
    if package["name"] == "uv"
)
BOOTSTRAPS = ("README.md", ".ci/run", ".github/workflows/ci.yml")


@pytest.mark.parametrize("path", BOOTSTRAPS)
def test_bootstrap_installs_the_uv_that_uv_lock_pins(path: str) -> None:
    pins = set(re.findall(r"pip install (?:-q )?uv==(\S+)", (ROOT / path).read_text()))
    assert pins == {LOCKED_UV}, f"{path} installs uv {pins or 'unpinned'}; uv.lock has {LOCKED_UV}"


@pytest.mark.parametrize("path", BOOTSTRAPS)
def test_bootstrap_runs_the_locked_nox(path: str) -> None:
    text = (ROOT / path).read_text()
    assert re.search(r"uv run (-q )?--locked --only-group nox nox", text)
    assert not re.search(r"pip install (-q )?nox", text)


def test_dependabot_updates_uv_lock_and_actions_at_the_root() -> None:
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    watched = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
    assert watched == {("uv", "/"), ("github-actions", "/")}
