"""What a response looks like, independent of its values, and valid request bodies."""

import hashlib
from typing import Any

ASSET = {
    "id": str,
    "project_id": str,
    "path": str,
    "type": str,
    "status": str,
    "metadata": dict,
    "consent_hash": str,
    "exif_stripped": bool,
    "created_at": str,
}
GENERATION_LOG = {
    "id": str,
    "user_id": str,
    "input_hash": str,
    "prompt_hash": str,
    "model_version": str,
    "lora_adapter": (str, type(None)),
    "status": str,
    "latency_ms": (int, type(None)),
    "error": (str, type(None)),
    "created_at": str,
}
PAGE = {"items": list, "next_cursor": (str, type(None)), "limit": int}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def asset_body(project_id: str) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "path": f"projects/{project_id}/sprites/hero.png",
        "type": "image",
        "metadata": {"width": 64, "height": 64, "tags": ["hero", "pixel"]},
        "consent_hash": sha256(f"consent/{project_id}"),
    }


def log_body(user_id: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "input_hash": sha256(f"input/{user_id}"),
        "prompt_hash": sha256(f"prompt/{user_id}"),
        "model_version": "sdxl-1.0",
        "lora_adapter": None,
        "status": "success",
        "latency_ms": 1200,
        "error": None,
    }


def assert_shape(body: Any, shape: dict[str, Any]) -> None:
    """`body` has exactly the keys of `shape`, each of the type it names."""
    assert isinstance(body, dict)
    assert body.keys() == shape.keys()
    for key, kind in shape.items():
        assert isinstance(body[key], kind), f"{key}: {body[key]!r} is not {kind}"


def assert_validation_error(body: Any, loc: list[str | int], kind: str) -> None:
    """A 422 body: field-level errors only, one of them at `loc` of type `kind`."""
    errors = body["detail"]
    assert body.keys() == {"detail"} and isinstance(errors, list) and errors
    for error in errors:
        assert {"type", "loc", "msg"} <= error.keys() <= {"type", "loc", "msg", "ctx"}
        assert isinstance(error["msg"], str) and error["msg"]
    assert (loc, kind) in [(error["loc"], error["type"]) for error in errors], errors


def shape(value: Any) -> Any:
    """The keys and value types of a JSON document, with the values themselves left out."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted({repr(shape(item)) for item in value})
    return type(value).__name__
