from fastapi.testclient import TestClient


def test_root_welcomes(mock_client: TestClient) -> None:
    response = mock_client.get("/")
    assert response.status_code == 200
    assert response.json() == {"message": "Welcome to the OSSGameForge API"}


def test_openapi_names_the_service(mock_client: TestClient) -> None:
    info = mock_client.get("/openapi.json").json()["info"]
    assert info == {
        "title": "OSSGameForge API",
        "description": "The backend service for the AI-Powered Game Creation Suite.",
        "version": "1.0.0",
    }


def test_health_routes_are_tagged_health(mock_client: TestClient) -> None:
    paths = mock_client.get("/openapi.json").json()["paths"]
    assert {p for p in paths if p.startswith("/health")} == {
        "/health",
        "/health/live",
        "/health/ready",
    }
    assert all(
        op["tags"] == ["Health"]
        for p in paths
        if p.startswith("/health")
        for op in paths[p].values()
    )
