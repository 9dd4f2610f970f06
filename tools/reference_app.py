"""The naive design the bench measures the app against, in the task plan's style: sync `def`
routes, a `Session` per request from a generator dependency, `pool_pre_ping`, `SELECT 1` on
every `/health`, and lists paged with `offset`. Same models, schemas and database as the app.

`uvicorn tools.reference_app:app` with DATABASE_URL set. Bench code only; never part of app/.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.models import Asset
from app.schemas.assets import AssetCreate, AssetRead

engine = create_engine(
    make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg2"),
    pool_pre_ping=True,
)
SessionLocal = sessionmaker(engine)
app = FastAPI(title="reference")


def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


DbDep = Annotated[Session, Depends(get_db)]


@app.get("/health")
def health(db: DbDep) -> dict[str, object]:
    db.execute(text("SELECT 1"))
    return {"status": "ok", "services": {"database": "ok"}}


@app.get("/assets", response_model=list[AssetRead])
def list_assets(
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Asset]:
    statement = select(Asset).order_by(Asset.created_at.desc(), Asset.id.desc())
    return list(db.scalars(statement.offset(offset).limit(limit)))


@app.post("/assets", status_code=201, response_model=AssetRead)
def create_asset(data: AssetCreate, db: DbDep) -> Asset:
    asset = Asset(
        id=uuid.uuid4(),
        project_id=data.project_id,
        path=data.path,
        type=data.type,
        metadata_=data.metadata,
        consent_hash=data.consent_hash,
        created_at=datetime.now(UTC),
    )
    db.add(asset)
    db.commit()
    db.refresh(asset)
    return asset
