"""Asset records: what the API promises about them, over any repository."""

import uuid
from datetime import UTC, datetime

from app.models import Asset
from app.repository import Listing, Repository
from app.schemas.assets import AssetCreate, AssetQuery, AssetUpdate


def create(repository: Repository, data: AssetCreate) -> Asset:
    """A new asset starts as `uploaded`, with `exif_stripped` false."""
    asset = Asset(
        id=uuid.uuid4(),
        project_id=data.project_id,
        path=data.path,
        type=data.type,
        status="uploaded",
        metadata_=data.metadata,
        consent_hash=data.consent_hash,
        exif_stripped=False,
        created_at=datetime.now(UTC),
    )
    return repository.add(asset)


def find(repository: Repository, query: AssetQuery) -> Listing[Asset]:
    filters = {"project_id": query.project_id, "status": query.status}
    return repository.page(Asset, filters, limit=query.limit, cursor=query.cursor)


def get(repository: Repository, asset_id: uuid.UUID) -> Asset | None:
    return repository.get(Asset, asset_id)


def update(repository: Repository, asset_id: uuid.UUID, data: AssetUpdate) -> Asset | None:
    """Sets the fields given a value; `metadata` is replaced whole."""
    changes = {
        "metadata_" if name == "metadata" else name: value
        for name, value in data
        if value is not None
    }
    return repository.update(Asset, asset_id, changes)
