"""Field types and the page shape shared by the resource schemas."""

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

MAX_METADATA_BYTES = 16 * 1024
MAX_METADATA_DEPTH = 8
SHA256_PATTERN = "^[0-9a-f]{64}$"
# PostgreSQL text cannot hold NUL; refusing it here keeps mock and live mode alike.
_NO_NUL = r"^[^\x00]*$"

Text = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=_NO_NUL)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=1024, pattern=_NO_NUL)]
Message = Annotated[str, StringConstraints(min_length=1, max_length=2048, pattern=_NO_NUL)]

# JSON Schema counts 2.0 as an integer, which strict models would refuse. Goes after the
# constraints in `Annotated`, or they vanish from the JSON schema.
INTEGRAL = BeforeValidator(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)


def _sha256(value: str) -> str:
    if not re.fullmatch(SHA256_PATTERN, value):
        raise PydanticCustomError("sha256", "must be a SHA-256 digest: 64 lowercase hex characters")
    return value


Sha256 = Annotated[
    str,
    AfterValidator(_sha256),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SHA256_PATTERN,
            "description": "SHA-256 digest, 64 lowercase hex characters",
            "examples": ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        }
    ),
]


def _nesting(value: Any) -> int:
    """How deep `value` nests; stops counting once past the limit."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= MAX_METADATA_DEPTH:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _bounded_json(value: dict[str, Any]) -> dict[str, Any]:
    if _nesting(value) > MAX_METADATA_DEPTH:
        raise PydanticCustomError(
            "metadata_depth", "must nest at most {limit} levels deep", {"limit": MAX_METADATA_DEPTH}
        )
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        size = len(text.encode())
    except ValueError:  # NaN, Infinity, or a lone surrogate
        raise PydanticCustomError(
            "metadata_json", "must be plain JSON: valid Unicode, no NaN or Infinity"
        ) from None
    if size > MAX_METADATA_BYTES:
        raise PydanticCustomError(
            "metadata_size", "must be at most {limit} bytes as JSON", {"limit": MAX_METADATA_BYTES}
        )
    return value


Metadata = Annotated[
    dict[str, Any],
    AfterValidator(_bounded_json),
    Field(
        description=f"Free-form JSON object: at most {MAX_METADATA_BYTES} bytes serialized,"
        f" nested at most {MAX_METADATA_DEPTH} levels deep."
    ),
]
# Rows written outside the API may hold NULL; readers always get an object.
StoredMetadata = Annotated[dict[str, Any], BeforeValidator(lambda value: value or {})]
UtcDatetime = Annotated[datetime, AfterValidator(lambda value: value.astimezone(UTC))]


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100, description="Page size.")
    cursor: str | None = Field(
        default=None,
        description="The `next_cursor` of the previous page, unchanged, with the same filters;"
        " leave out for the first page.",
    )


ItemT = TypeVar("ItemT", bound=BaseModel)


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    limit: int


class ErrorRead(BaseModel):
    detail: str = Field(examples=["Asset not found"])


MAX_BODY_BYTES = 64 * 1024
Responses = dict[int | str, dict[str, Any]]
UNAVAILABLE: Responses = {503: {"model": ErrorRead, "description": "Database unavailable"}}
UNREADABLE_BODY: Responses = {
    400: {"model": ErrorRead, "description": "The body is not UTF-8 text"},
    413: {
        "description": f"The body is over {MAX_BODY_BYTES // 1024} KiB",
        "content": {"text/plain": {}},
    },
}
