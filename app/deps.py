"""Dependency aliases, so route signatures stay short."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.config import Settings
from app.database import session_scope
from app.services.health import DatabaseProbe


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_probe(request: Request) -> DatabaseProbe | None:
    probe: DatabaseProbe | None = request.state.probe
    return probe


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.state.session_factory)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProbeDep = Annotated[DatabaseProbe | None, Depends(get_probe)]
SessionDep = Annotated[Session, Depends(get_db)]
