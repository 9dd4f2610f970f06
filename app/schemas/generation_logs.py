import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from app.schemas.common import (
    INTEGRAL,
    Message,
    Page,
    PageQuery,
    Sha256,
    Text,
    UtcDatetime,
)

GenerationStatus = Literal["success", "fail", "cached"]
STATUS_DESCRIPTION = (
    "`success`: the model produced output; `fail`: it did not, see `error`; "
    "`cached`: an earlier output for the same inputs was reused."
)
MAX_LATENCY_MS = 24 * 60 * 60 * 1000
Latency = Annotated[int, Field(ge=0, le=MAX_LATENCY_MS, description="Milliseconds."), INTEGRAL]
# The first of mock mode's sample logs.
CREATE_EXAMPLE: JsonDict = {
    "user_id": "user-ada",
    "input_hash": "722a8be5876a85ec573cfd55382413f155c4fa20c8fa90d67791b2ad5b6c9c8e",
    "prompt_hash": "7805e63177e0f43e0c251ed9d1f73715b9e6621093ef9a299a60774f4df8ce94",
    "model_version": "sdxl-1.0",
    "lora_adapter": "pixel-art-v2",
    "status": "success",
    "latency_ms": 2350,
    "error": None,
}
READ_EXAMPLE: JsonDict = {
    "id": "2e38b799-a254-5971-82b8-2e12e8e05f32",
    **CREATE_EXAMPLE,
    "created_at": "2026-01-15T09:30:30Z",
}


class GenerationLogCreate(BaseModel):
    """One model run to record; the server sets `id` and `created_at`."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [CREATE_EXAMPLE]}
    )

    user_id: Text
    input_hash: Sha256
    prompt_hash: Sha256
    model_version: Text = Field(examples=["sdxl-1.0"])
    lora_adapter: Text | None = None
    status: GenerationStatus = Field(description=STATUS_DESCRIPTION)
    latency_ms: Latency | None = None
    error: Message | None = Field(default=None, description="What went wrong, for `fail`.")


class GenerationLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [READ_EXAMPLE]})

    id: uuid.UUID
    user_id: str
    input_hash: str
    prompt_hash: str
    model_version: str
    lora_adapter: str | None
    status: GenerationStatus = Field(description=STATUS_DESCRIPTION)
    latency_ms: int | None
    error: str | None
    created_at: UtcDatetime


class GenerationLogPage(Page[GenerationLogRead]):
    """One page of generation logs, newest first: `created_at` descending, then `id` descending."""


class GenerationLogQuery(PageQuery):
    user_id: Text | None = Field(default=None, examples=["user-ada"])
    status: GenerationStatus | None = Field(default=None, description=STATUS_DESCRIPTION)
    model_version: Text | None = Field(default=None, examples=["sdxl-1.0"])
