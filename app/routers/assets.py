import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from app.deps import AssetsDep
from app.schemas.assets import AssetCreate, AssetPage, AssetQuery, AssetRead, AssetUpdate
from app.schemas.common import MAX_BODY_BYTES, UNAVAILABLE, UNREADABLE_BODY, ErrorRead, Responses

NOT_FOUND = "Asset not found"
_404: Responses = {404: {"model": ErrorRead, "description": NOT_FOUND}}
router = APIRouter(
    prefix="/assets", tags=["Assets"], max_body_size=MAX_BODY_BYTES, responses=UNAVAILABLE
)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=AssetRead, responses=UNREADABLE_BODY
)
async def create_asset(data: AssetCreate, assets: AssetsDep) -> AssetRead:
    """Register an asset record; it starts as `uploaded`, with `exif_stripped` false."""
    return await assets(lambda service: service.create(data=data))


@router.get("", response_model=AssetPage)
async def list_assets(query: Annotated[AssetQuery, Query()], assets: AssetsDep) -> AssetPage:
    """Assets, newest first, filtered by `project_id` and `status`."""
    return await assets(lambda service: service.find(query=query))


@router.get("/{asset_id}", response_model=AssetRead, responses=_404)
async def get_asset(asset_id: uuid.UUID, assets: AssetsDep) -> AssetRead:
    return _found(await assets(lambda service: service.get(asset_id=asset_id)))


@router.patch("/{asset_id}", response_model=AssetRead, responses=_404 | UNREADABLE_BODY)
async def update_asset(asset_id: uuid.UUID, data: AssetUpdate, assets: AssetsDep) -> AssetRead:
    """Change `status`, `metadata` (replaced whole) or `exif_stripped`."""
    return _found(await assets(lambda service: service.update(asset_id=asset_id, data=data)))


def _found(asset: AssetRead | None) -> AssetRead:
    if asset is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return asset
