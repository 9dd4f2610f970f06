from app.models.core_models import Asset, GenerationLog

__all__ = ["Asset", "GenerationLog"]
