"""Packages import in one direction: the backend image holds app/ and alembic/ only, so nothing
there (`python -m app.migrate` included) may import tools/, tests/ or infra/."""

import ast
from pathlib import Path

from tests.db import ROOT

IN_THE_IMAGE = sorted(p for folder in ("app", "alembic") for p in (ROOT / folder).rglob("*.py"))
OUTSIDE = ("tools", "tests", "infra")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_code_in_the_backend_image_imports_nothing_outside_it() -> None:
    assert len(IN_THE_IMAGE) > 20  # app/ and alembic/ were found
    outside = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in IN_THE_IMAGE
        for name in imported(path)
        if name.split(".")[0] in OUTSIDE
    }
    assert outside == set()
