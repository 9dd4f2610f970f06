import uuid
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from app.schemas.common import (
    LongText,
    Metadata,
    Page,
    PageQuery,
    Sha256,
    StoredMetadata,
    Text,
    UtcDatetime,
)

AssetStatus = Literal["uploaded", "processing", "ready", "failed"]
STATUS_DESCRIPTION = (
    "`uploaded`: registered, nothing done yet (every asset starts here); "
    "`processing`: being checked or converted; `ready`: usable in a game; "
    "`failed`: processing gave up, see `metadata`."
)
# The first of mock mode's sample assets.
CREATE_EXAMPLE: JsonDict = {
    "project_id": "demo-platformer",
    "path": "projects/demo-platformer/sprites/hero.png",
    "type": "image",
    "metadata": {"width": 512, "height": 512},
    "consent_hash": "b6a6c0372b23f66e384e2f5b5227e27cbb9828971103a67e117018433b7be021",
}
READ_EXAMPLE: JsonDict = {
    "id": "211ff141-b261-5e35-ab91-be5d0a7413da",
    **CREATE_EXAMPLE,
    "status": "ready",
    "exif_stripped": True,
    "created_at": "2026-01-15T09:30:00Z",
}


class AssetCreate(BaseModel):
    """An asset to register; the server sets `id`, `status`, `exif_stripped` and `created_at`."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [CREATE_EXAMPLE]}
    )

    project_id: Text
    path: LongText = Field(description="Where the file lives, at most 1024 characters.")
    type: Text = Field(examples=["image", "audio", "model"])
    metadata: Metadata = Field(default_factory=dict)
    consent_hash: Sha256


class AssetUpdate(BaseModel):
    """The fields to change; a field left out (or null) keeps its value."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"status": "ready", "exif_stripped": True}]},
    )

    status: AssetStatus | None = Field(default=None, description=STATUS_DESCRIPTION)
    metadata: Metadata | None = None
    exif_stripped: bool | None = None


class AssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [READ_EXAMPLE]})

    id: uuid.UUID
    project_id: str
    path: str
    type: str
    status: AssetStatus = Field(description=STATUS_DESCRIPTION)
    # The ORM attribute is `metadata_`: Declarative reserves `metadata`.
    metadata: StoredMetadata = Field(validation_alias=AliasChoices("metadata_", "metadata"))
    consent_hash: str
    exif_stripped: bool
    created_at: UtcDatetime


class AssetPage(Page[AssetRead]):
    """One page of assets, newest first: `created_at` descending, then `id` descending."""


class AssetQuery(PageQuery):
    project_id: Text | None = Field(default=None, examples=["demo-platformer"])
    status: AssetStatus | None = Field(default=None, description=STATUS_DESCRIPTION)
