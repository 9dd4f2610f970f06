import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from app.deps import StoreDep, database_up
from app.models import Asset
from app.repository import Listing
from app.schemas.assets import AssetCreate, AssetPage, AssetQuery, AssetRead, AssetUpdate
from app.schemas.common import MAX_BODY_BYTES, UNAVAILABLE, UNREADABLE_BODY, ErrorRead, Responses
from app.services import assets

NOT_FOUND = "Asset not found"
_404: Responses = {404: {"model": ErrorRead, "description": NOT_FOUND}}
router = APIRouter(
    prefix="/assets",
    tags=["Assets"],
    dependencies=[Depends(database_up)],
    max_body_size=MAX_BODY_BYTES,
    responses=UNAVAILABLE,
)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=AssetRead, responses=UNREADABLE_BODY
)
async def create_asset(data: AssetCreate, store: StoreDep) -> Asset:
    """Register an asset record; it starts as `uploaded`, with `exif_stripped` false."""
    return await store.run(assets.create, data)


@router.get("", response_model=AssetPage)
async def list_assets(query: Annotated[AssetQuery, Query()], store: StoreDep) -> Listing[Asset]:
    """Assets, newest first, filtered by `project_id` and `status`."""
    return await store.run(assets.find, query)


@router.get("/{asset_id}", response_model=AssetRead, responses=_404)
async def get_asset(asset_id: uuid.UUID, store: StoreDep) -> Asset:
    return _found(await store.run(assets.get, asset_id))


@router.patch("/{asset_id}", response_model=AssetRead, responses=_404 | UNREADABLE_BODY)
async def update_asset(asset_id: uuid.UUID, data: AssetUpdate, store: StoreDep) -> Asset:
    """Change `status`, `metadata` (replaced whole) or `exif_stripped`."""
    return _found(await store.run(assets.update, asset_id, data))


def _found(asset: Asset | None) -> Asset:
    if asset is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return asset
