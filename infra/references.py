"""Image references as Docker and Kubernetes parse them (the grammar of
github.com/distribution/reference): `[registry[:port]/]path[:tag][@digest]`."""

import re

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"  # a lower-case path component
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_NAME = rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
REFERENCE = re.compile(rf"(?P<name>{_NAME})(?::{_TAG})?(?:@{_DIGEST})?")
NAME_MAX = 255  # characters of the name part


def is_image_reference(value: str) -> bool:
    """Whether `value` is an image a registry can be asked for (`postgres:17`,
    `registry.example:5000/team/backend:1.0`, `...@sha256:<hex>`)."""
    match = REFERENCE.fullmatch(value)
    return match is not None and len(match["name"]) <= NAME_MAX
