"""Asset records: the live service on PostgreSQL and the mock one in memory, one protocol."""

import uuid
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.models import Asset
from app.schemas.assets import AssetCreate, AssetPage, AssetQuery, AssetRead, AssetUpdate
from app.services.mock_data import MockStore
from app.services.paging import newest_first


class AssetService(Protocol):
    def create(self, *, data: AssetCreate) -> AssetRead: ...
    def find(self, *, query: AssetQuery) -> AssetPage: ...
    def get(self, *, asset_id: uuid.UUID) -> AssetRead | None: ...
    def update(self, *, asset_id: uuid.UUID, data: AssetUpdate) -> AssetRead | None: ...


def _changes(data: AssetUpdate) -> dict[str, Any]:
    return {name: value for name, value in data if value is not None}


class LiveAssetService:
    """Reads and writes through the request's session; flushes, never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, *, data: AssetCreate) -> AssetRead:
        asset = Asset(
            project_id=data.project_id,
            path=data.path,
            type=data.type,
            metadata_=data.metadata,
            consent_hash=data.consent_hash,
        )
        self._session.add(asset)
        self._session.flush()
        return AssetRead.model_validate(asset)

    def find(self, *, query: AssetQuery) -> AssetPage:
        filters = [(Asset.project_id, query.project_id), (Asset.status, query.status)]
        rows, total = newest_first(
            self._session, Asset, filters, limit=query.limit, offset=query.offset
        )
        return AssetPage(
            items=[AssetRead.model_validate(row) for row in rows],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    def get(self, *, asset_id: uuid.UUID) -> AssetRead | None:
        asset = self._session.get(Asset, asset_id)
        return None if asset is None else AssetRead.model_validate(asset)

    def update(self, *, asset_id: uuid.UUID, data: AssetUpdate) -> AssetRead | None:
        asset = self._session.get(Asset, asset_id, with_for_update=True)
        if asset is None:
            return None
        for name, value in _changes(data).items():
            setattr(asset, "metadata_" if name == "metadata" else name, value)
        self._session.flush()
        return AssetRead.model_validate(asset)


class MockAssetService:
    """The same contract over the app's in-memory store; never touches a database."""

    def __init__(self, store: MockStore) -> None:
        self._table = store.assets

    def create(self, *, data: AssetCreate) -> AssetRead:
        return self._table.add(
            AssetRead(
                id=uuid.uuid4(),
                **data.model_dump(),
                status="uploaded",
                exif_stripped=False,
                created_at=datetime.now(UTC),
            )
        )

    def find(self, *, query: AssetQuery) -> AssetPage:
        def matches(asset: AssetRead) -> bool:
            filters = [(asset.project_id, query.project_id), (asset.status, query.status)]
            return all(wanted in (None, value) for value, wanted in filters)

        items, total = self._table.page(matches, limit=query.limit, offset=query.offset)
        return AssetPage(items=items, total=total, limit=query.limit, offset=query.offset)

    def get(self, *, asset_id: uuid.UUID) -> AssetRead | None:
        return self._table.get(asset_id)

    def update(self, *, asset_id: uuid.UUID, data: AssetUpdate) -> AssetRead | None:
        changes = _changes(data)
        return self._table.change(asset_id, lambda asset: asset.model_copy(update=changes))
