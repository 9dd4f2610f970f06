"""Requests generated from the OpenAPI document: never a 5xx, every answer as documented.

Each operation gets single generated requests, then chains of them (create, then read, change
or list by the ids earlier answers returned), in mock mode and in live mode on PostgreSQL.
"""

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings

from app.config import load_settings
from app.main import create_app
from tests.fuzz.conftest import CASES

Case = schemathesis.Case[Any]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": 60, "database": "none"},
        # FastAPI answers 405 with only the first route's method in `Allow`: a framework issue.
        "checks": {"allow_header_conformance": {"enabled": False}},
        "operations": [
            {
                # A cursor is a token the server gave out: any string fits its schema, only
                # those it gave out pass (422 otherwise; tests/contract/test_pages.py).
                "include-path-regex": "^/(assets|generation-logs)$",
                "include-method": "GET",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422"]
                    }
                },
            }
        ],
    }
)


def mock_app() -> FastAPI:
    return create_app(load_settings(mock_mode=True, database_url=None))


MOCK_APP = mock_app()
# Mock and live mode serve the same document (tests/contract checks it).
schema = schemathesis.openapi.from_asgi("/openapi.json", MOCK_APP, config=CONFIG)
# A slow CI machine must not fail the run: no deadline, no health check on generation speed.
SINGLE = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)
CHAINS = settings(SINGLE, max_examples=40, stateful_step_count=8, phases=[Phase.generate])


@schema.parametrize()
@SINGLE
def test_mock_mode_answers_generated_requests_as_documented(case: Case) -> None:
    CASES[f"mock {case.operation.label}"] += 1
    case.call_and_validate()


@pytest.mark.integration
@schema.parametrize()
@SINGLE
def test_live_mode_answers_generated_requests_as_documented(case: Case, live_app: FastAPI) -> None:
    CASES[f"live {case.operation.label}"] += 1
    case.call_and_validate(app=live_app)


def chains(
    fresh_app: Callable[[], FastAPI], mode: str
) -> type[schemathesis.stateful.APIStateMachine]:
    class Chains(schema.as_state_machine()):  # type: ignore[misc]  # built from the schema
        def setup(self) -> None:
            # Each chain starts from the same rows. Were they left over from earlier chains, a
            # page would fill up (a `next_cursor` to follow, or not) after the same draws, and
            # Hypothesis would stop: FlakyStrategyDefinition.
            self.app = fresh_app()

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"app": self.app}

        def after_call(self, response: schemathesis.Response, case: Case) -> None:
            CASES[f"{mode} {case.operation.label}"] += 1

    return Chains


@pytest.mark.parametrize("mode", ["mock", pytest.param("live", marks=pytest.mark.integration)])
def test_chained_requests_on_ids_from_earlier_answers_stay_as_documented(
    mode: str, request: pytest.FixtureRequest
) -> None:
    fresh_app = mock_app if mode == "mock" else request.getfixturevalue("emptied_live_app")
    chains(fresh_app, mode).run(settings=CHAINS)
