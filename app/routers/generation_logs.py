import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from app.deps import StoreDep, database_up
from app.models import GenerationLog
from app.repository import Listing
from app.schemas.common import MAX_BODY_BYTES, UNAVAILABLE, UNREADABLE_BODY, ErrorRead
from app.schemas.generation_logs import (
    GenerationLogCreate,
    GenerationLogPage,
    GenerationLogQuery,
    GenerationLogRead,
)
from app.services import generation_logs

NOT_FOUND = "Generation log not found"
router = APIRouter(
    prefix="/generation-logs",
    tags=["Generation logs"],
    dependencies=[Depends(database_up)],
    max_body_size=MAX_BODY_BYTES,
    responses=UNAVAILABLE,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=GenerationLogRead,
    responses=UNREADABLE_BODY,
)
async def create_generation_log(data: GenerationLogCreate, store: StoreDep) -> GenerationLog:
    """Record one model run."""
    return await store.run(generation_logs.create, data)


@router.get("", response_model=GenerationLogPage)
async def list_generation_logs(
    query: Annotated[GenerationLogQuery, Query()], store: StoreDep
) -> Listing[GenerationLog]:
    """Generation logs, newest first, filtered by `user_id`, `status` and `model_version`."""
    return await store.run(generation_logs.find, query)


@router.get(
    "/{log_id}",
    response_model=GenerationLogRead,
    responses={404: {"model": ErrorRead, "description": NOT_FOUND}},
)
async def get_generation_log(log_id: uuid.UUID, store: StoreDep) -> GenerationLog:
    log = await store.run(generation_logs.get, log_id)
    if log is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return log
