"""The Kubernetes target: the stack's config and `infra/spec.py`'s description of what runs,
turned into Kubernetes objects in a namespace of the stack's own (`program.py` composes them)."""
