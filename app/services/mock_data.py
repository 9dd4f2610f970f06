"""Mock mode's sample rows: the same every time, so examples and tests can name them."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models import Asset, GenerationLog
from app.models.core_models import Record
from app.schemas.assets import AssetStatus
from app.schemas.generation_logs import GenerationStatus

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ossgameforge/mock")
EPOCH = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def sample_rows() -> list[Record]:
    """New instances of every sample row (mock mode changes its own copies in place)."""
    assets: list[Record] = [_asset(n, *sample) for n, sample in enumerate(ASSETS)]
    return assets + [_log(n, *sample) for n, sample in enumerate(LOGS)]


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
) -> Asset:
    path = f"projects/{project}/{path}"
    return Asset(
        id=uuid.uuid5(NAMESPACE, f"asset/{path}"),
        project_id=project,
        path=path,
        type=kind,
        status=status,
        metadata_=metadata,
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
) -> GenerationLog:
    return GenerationLog(
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
