"""What no log line may hold, whatever a message or a trace says: a URL with credentials in it,
and the secrets the app was configured with."""

import json
import logging
import secrets

import pytest

from app.logs import JsonFormatter, TextFormatter

PASSWORD = secrets.token_hex(12)
URL = f"postgresql://owner:{PASSWORD}@db.internal:5432/ossgameforge"


def record(message: str, *, traced: bool = False) -> logging.LogRecord:
    exc_info = None
    if traced:
        try:
            raise RuntimeError(f"could not connect to {URL}")
        except RuntimeError as exc:
            exc_info = (type(exc), exc, exc.__traceback__)
    return logging.LogRecord("app", logging.ERROR, __file__, 1, message, None, exc_info)


@pytest.mark.parametrize("formatter", [TextFormatter, JsonFormatter])
def test_urls_with_credentials_and_configured_secrets_are_cut_out(
    formatter: type[TextFormatter | JsonFormatter],
) -> None:
    line = formatter([PASSWORD]).format(record(f"using {URL} ({PASSWORD})", traced=True))
    assert PASSWORD not in line
    assert "postgresql://" not in line and "db.internal" not in line
    assert "<url hidden>" in line and "<hidden>" in line
    if formatter is JsonFormatter:
        assert json.loads(line)["message"] == "using <url hidden> (<hidden>)"


def test_a_url_without_credentials_stays() -> None:
    line = TextFormatter([]).format(record("Uvicorn running on http://0.0.0.0:8000"))
    assert line.endswith(" ERROR Uvicorn running on http://0.0.0.0:8000")


def test_a_short_secret_is_not_cut_out_of_every_word() -> None:
    line = TextFormatter(["app"]).format(record("GET /apps"))
    assert line.endswith(" ERROR GET /apps")
