"""Mock mode's in-memory data: fixed sample rows, plus whatever clients write while the app runs."""

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from app.schemas.assets import AssetRead, AssetStatus
from app.schemas.generation_logs import GenerationLogRead, GenerationStatus

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ossgameforge/mock")
EPOCH = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


class Row(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def created_at(self) -> datetime: ...


RowT = TypeVar("RowT", bound=Row)


class MockTable(Generic[RowT]):
    """One resource's rows; every access holds the lock, so request threads can share it."""

    def __init__(self, rows: Iterable[RowT]) -> None:
        self._rows = {row.id: row for row in rows}
        self._lock = threading.Lock()

    def add(self, row: RowT) -> RowT:
        with self._lock:
            self._rows[row.id] = row
        return row

    def get(self, row_id: uuid.UUID) -> RowT | None:
        with self._lock:
            return self._rows.get(row_id)

    def change(self, row_id: uuid.UUID, edit: Callable[[RowT], RowT]) -> RowT | None:
        with self._lock:
            row = self._rows.get(row_id)
            if row is not None:
                row = self._rows[row_id] = edit(row)
            return row

    def page(
        self, matches: Callable[[RowT], bool], *, limit: int, offset: int
    ) -> tuple[list[RowT], int]:
        """The rows that match, newest first like the live mode, and how many there are."""
        with self._lock:
            found = [row for row in self._rows.values() if matches(row)]
        found.sort(key=lambda row: (row.created_at, row.id), reverse=True)
        return found[offset : offset + limit], len(found)


class MockStore:
    """The data of one app instance: created by its lifespan, gone with it."""

    def __init__(self) -> None:
        assets, logs = samples()
        self.assets = MockTable(assets)
        self.generation_logs = MockTable(logs)


def samples() -> tuple[list[AssetRead], list[GenerationLogRead]]:
    """The sample rows every store starts with; `nox -s seed` writes the same to a database."""
    return [_asset(n, *s) for n, s in enumerate(ASSETS)], [_log(n, *s) for n, s in enumerate(LOGS)]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


ASSETS: list[tuple[str, str, str, AssetStatus, dict[str, Any]]] = [
    ("demo-platformer", "sprites/hero.png", "image", "ready", {"width": 512, "height": 512}),
    ("demo-platformer", "tiles/forest.png", "image", "ready", {"width": 1024, "tile_size": 32}),
    ("demo-platformer", "audio/jump.wav", "audio", "processing", {"duration_s": 0.4}),
    ("demo-platformer", "audio/theme.ogg", "audio", "uploaded", {"duration_s": 92.5}),
    ("space-shooter", "models/ship.glb", "model", "ready", {"triangles": 12840}),
    ("space-shooter", "backdrops/nebula.jpg", "image", "failed", {"error": "corrupt JPEG"}),
]
LOGS: list[tuple[str, str, str | None, GenerationStatus, int | None, str | None]] = [
    ("user-ada", "sdxl-1.0", "pixel-art-v2", "success", 2350, None),
    ("user-ada", "sdxl-1.0", "pixel-art-v2", "cached", 12, None),
    ("user-grace", "musicgen-small", None, "success", 8120, None),
    ("user-grace", "sdxl-1.0", None, "fail", 30000, "out of GPU memory at 2048x2048"),
    ("user-linus", "sdxl-1.0", "low-poly-v1", "success", 2875, None),
    ("user-ada", "musicgen-small", None, "fail", None, "prompt longer than 256 tokens"),
]


def _asset(
    n: int, project: str, path: str, kind: str, status: AssetStatus, metadata: dict[str, Any]
) -> AssetRead:
    path = f"projects/{project}/{path}"
    return AssetRead(
        id=uuid.uuid5(NAMESPACE, f"asset/{path}"),
        project_id=project,
        path=path,
        type=kind,
        status=status,
        metadata=metadata,
        consent_hash=sha256(f"consent/{path}"),
        exif_stripped=status == "ready" and kind == "image",
        created_at=EPOCH + timedelta(minutes=15 * n),
    )


def _log(
    n: int,
    user: str,
    model: str,
    lora: str | None,
    status: GenerationStatus,
    latency_ms: int | None,
    error: str | None,
) -> GenerationLogRead:
    return GenerationLogRead(
        id=uuid.uuid5(NAMESPACE, f"generation-log/{n}"),
        user_id=user,
        input_hash=sha256(f"input/{n}"),
        prompt_hash=sha256(f"prompt/{n}"),
        model_version=model,
        lora_adapter=lora,
        status=status,
        latency_ms=latency_ms,
        error=error,
        created_at=EPOCH + timedelta(minutes=10 * n, seconds=30),
    )
