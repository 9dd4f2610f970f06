"""`nox -s openapi`: write the app's OpenAPI document to openapi.json, the committed contract."""

import json
import sys
from pathlib import Path

from app.config import load_settings
from app.main import create_app

FILE = Path(__file__).resolve().parent.parent / "openapi.json"


def document() -> str:
    """The document as the app serves it (mock and live serve the same), in a stable layout."""
    app = create_app(load_settings(mock_mode=True, database_url=None, cors_origins=""))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    text = document()
    changed = not FILE.exists() or FILE.read_text() != text
    FILE.write_text(text)
    print(f"openapi: {FILE.name} {'rewritten' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
