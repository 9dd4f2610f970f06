from typing import Literal

from pydantic import BaseModel

DependencyStatus = Literal["ok", "error", "mock"]


class Services(BaseModel):
    database: DependencyStatus


class HealthRead(BaseModel):
    status: Literal["ok", "degraded"]
    services: Services

    @classmethod
    def of(cls, services: Services) -> "HealthRead":
        healthy = services.database != "error"
        return cls(status="ok" if healthy else "degraded", services=services)


class LiveRead(BaseModel):
    status: Literal["ok"] = "ok"
