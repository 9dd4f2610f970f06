"""The GitHub Actions workflow parses and calls sessions that exist in the noxfile."""

import runpy
import shlex
from pathlib import Path

import nox.registry
import yaml

ROOT = Path(__file__).resolve().parents[2]


def nox_sessions_called() -> set[str]:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    called: set[str] = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            words = shlex.split(step.get("run", ""))
            for at in range(len(words) - 1):
                if words[at : at + 2] == ["nox", "-s"]:
                    called.update(words[at + 2 :])
    return called


def test_workflow_runs_lint_and_integration() -> None:
    assert {"lint", "integration"} <= nox_sessions_called()


def test_every_session_the_workflow_calls_exists() -> None:
    runpy.run_path(str(ROOT / "noxfile.py"))
    assert nox_sessions_called() <= set(nox.registry.get())
