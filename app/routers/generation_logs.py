import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from app.deps import GenerationLogsDep
from app.schemas.common import MAX_BODY_BYTES, UNAVAILABLE, UNREADABLE_BODY, ErrorRead
from app.schemas.generation_logs import (
    GenerationLogCreate,
    GenerationLogPage,
    GenerationLogQuery,
    GenerationLogRead,
)

NOT_FOUND = "Generation log not found"
router = APIRouter(
    prefix="/generation-logs",
    tags=["Generation logs"],
    max_body_size=MAX_BODY_BYTES,
    responses=UNAVAILABLE,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=GenerationLogRead,
    responses=UNREADABLE_BODY,
)
async def create_generation_log(
    data: GenerationLogCreate, logs: GenerationLogsDep
) -> GenerationLogRead:
    """Record one model run."""
    return await logs(lambda service: service.create(data=data))


@router.get("", response_model=GenerationLogPage)
async def list_generation_logs(
    query: Annotated[GenerationLogQuery, Query()], logs: GenerationLogsDep
) -> GenerationLogPage:
    """Generation logs, newest first, filtered by `user_id`, `status` and `model_version`."""
    return await logs(lambda service: service.find(query=query))


@router.get(
    "/{log_id}",
    response_model=GenerationLogRead,
    responses={404: {"model": ErrorRead, "description": NOT_FOUND}},
)
async def get_generation_log(log_id: uuid.UUID, logs: GenerationLogsDep) -> GenerationLogRead:
    log = await logs(lambda service: service.get(log_id=log_id))
    if log is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return log
