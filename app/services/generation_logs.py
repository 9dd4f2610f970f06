"""Generation logs: what the API promises about them, over any repository."""

import uuid
from datetime import UTC, datetime

from app.models import GenerationLog
from app.repository import Listing, Repository
from app.schemas.generation_logs import GenerationLogCreate, GenerationLogQuery


def create(repository: Repository, data: GenerationLogCreate) -> GenerationLog:
    log = GenerationLog(id=uuid.uuid4(), **data.model_dump(), created_at=datetime.now(UTC))
    return repository.add(log)


def find(repository: Repository, query: GenerationLogQuery) -> Listing[GenerationLog]:
    filters = {
        "user_id": query.user_id,
        "status": query.status,
        "model_version": query.model_version,
    }
    return repository.page(GenerationLog, filters, limit=query.limit, cursor=query.cursor)


def get(repository: Repository, log_id: uuid.UUID) -> GenerationLog | None:
    return repository.get(GenerationLog, log_id)
