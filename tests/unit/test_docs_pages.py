"""/docs and /redoc need no internet: every file they load is served by the app itself."""

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.config import load_settings
from app.main import create_app

PAGES = ["/docs", "/docs/oauth2-redirect", "/redoc"]
LOADED = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_the_pages_outside_the_api_are_the_two_docs_and_swagger_s_oauth_redirect() -> None:
    app = create_app(load_settings(mock_mode=True, database_url=None))
    hidden = [r.path for r in app.routes if isinstance(r, APIRoute) and not r.include_in_schema]
    assert sorted(hidden) == sorted(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_names_another_host(mock_client: TestClient, page: str) -> None:
    response = mock_client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(?:https?:)?//[\w.-]+", response.text), page


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_file_a_docs_page_loads_is_served_by_the_app(
    mock_client: TestClient, page: str
) -> None:
    html = mock_client.get(page).text
    files = LOADED.findall(html)
    assert len(files) >= 2, html  # the script, and the stylesheet or icon
    for path in files:
        assert path.startswith("/") and not path.startswith("//"), path
        response = mock_client.get(path)
        assert response.status_code == 200, path
        assert len(response.content) > 1000, path


def test_swagger_ui_sends_the_document_to_no_online_validator(mock_client: TestClient) -> None:
    assert '"validatorUrl": null' in mock_client.get("/docs").text


@pytest.mark.parametrize("page", PAGES)
def test_docs_pages_tell_the_browser_to_load_from_the_app_only(
    mock_client: TestClient, page: str
) -> None:
    policy = mock_client.get(page).headers["content-security-policy"]
    assert policy.startswith("default-src 'self';")
    assert "http" not in policy and "*" not in policy


def test_api_answers_carry_no_page_policy(mock_client: TestClient) -> None:
    assert "content-security-policy" not in mock_client.get("/assets").headers
