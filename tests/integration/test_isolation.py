import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Asset


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_sees_only_its_own_rows(session: Session, attempt: int) -> None:
    session.add(
        Asset(project_id="isolation", path=f"{attempt}.png", type="image", consent_hash="h")
    )
    session.commit()  # commits a savepoint; the test's outer transaction is rolled back
    count = session.scalar(
        select(func.count()).select_from(Asset).where(Asset.project_id == "isolation")
    )
    assert count == 1
