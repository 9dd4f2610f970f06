"""Declarative base, engine and session factory."""

import select
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def create_db_engine(settings: Settings, *, pool_size: int | None = None) -> Engine:
    """An engine whose connections fail fast instead of hanging on a dead server.

    Autocommit: each statement stands alone (every repository call is one statement), which
    spares a BEGIN and a COMMIT round trip per request. No pre-ping: that is a round trip per
    request too, and a connection the server has closed is never handed out anyway (see
    `_closed_by_server`).
    """
    timeout_ms = int(settings.db_pool_timeout * 1000)
    pool_size = pool_size or settings.db_pool_size
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=settings.db_pool_timeout,
        isolation_level="AUTOCOMMIT",
        pool_recycle=1800,
        connect_args={
            # libpq rounds connect_timeout below 2 s up to 2 s.
            "connect_timeout": max(2, round(settings.db_pool_timeout)),
            "tcp_user_timeout": timeout_ms * 2,
            "keepalives_idle": 10,
            "application_name": "ossgameforge-api",
        },
    )
    event.listen(engine, "checkout", _closed_by_server)
    return engine


def _closed_by_server(dbapi_connection: Any, *_: object) -> None:
    """Refuses a pooled connection the server has closed; the pool then opens a new one.

    An idle connection has nothing to read. If it has, that is the server's goodbye: the
    message PostgreSQL sends when it ends a backend (a restart, pg_terminate_backend, an idle
    timeout), or end of file. One poll, no round trip. Work is never retried after a failure
    instead: a statement that failed may have committed, and running it again could insert a
    row twice.
    """
    if dbapi_connection.closed:
        raise DisconnectionError("the connection is closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):
        raise DisconnectionError("the server closed the connection")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
