import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from app.deps import GenerationLogServiceDep
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
def create_generation_log(
    data: GenerationLogCreate, service: GenerationLogServiceDep
) -> GenerationLogRead:
    """Record one model run."""
    return service.create(data=data)


@router.get("", response_model=GenerationLogPage)
def list_generation_logs(
    query: Annotated[GenerationLogQuery, Query()], service: GenerationLogServiceDep
) -> GenerationLogPage:
    """Generation logs, newest first, filtered by `user_id`, `status` and `model_version`."""
    return service.find(query=query)


@router.get(
    "/{log_id}",
    response_model=GenerationLogRead,
    responses={404: {"model": ErrorRead, "description": NOT_FOUND}},
)
def get_generation_log(log_id: uuid.UUID, service: GenerationLogServiceDep) -> GenerationLogRead:
    log = service.get(log_id=log_id)
    if log is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return log
