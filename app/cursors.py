"""Page cursors: opaque to clients, and tamper-evident.

A cursor holds the position of the last row of a page: its `created_at` (microseconds since
1970) and its `id`, behind a format version byte; then the first 12 bytes of an HMAC-SHA256
over the list's scope (table and filters) and those bytes; all in URL-safe base64 (50
characters). A cursor that is not base64, has the wrong length or version, was edited, or
was given out for another list or other filters fails the HMAC check: one 422.
"""

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

MESSAGE = "is not a cursor this list gave out: pass `next_cursor` back unchanged, same filters"
_VERSION = 1
_LAYOUT = struct.Struct(">Bq16s")  # version, created_at in µs since 1970, id
_TAG_BYTES = 12
_LENGTH = 50  # base64 characters of _LAYOUT.size + _TAG_BYTES bytes, unpadded
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class InvalidCursor(ValueError):
    """A cursor this app did not give out for this list."""


class Position(NamedTuple):
    """Where a newest-first page ended: rows after it are older, or as old with a lower id."""

    created_at: datetime
    id: uuid.UUID


class Cursors:
    """Encodes and checks cursors with one key (see the module docstring)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def encode(self, scope: str, position: Position) -> str:
        micros = (position.created_at - _EPOCH) // _MICROSECOND
        body = _LAYOUT.pack(_VERSION, micros, position.id.bytes)
        return base64.urlsafe_b64encode(body + self._tag(scope, body)).rstrip(b"=").decode()

    def decode(self, scope: str, cursor: str) -> Position:
        if len(cursor) != _LENGTH:
            raise InvalidCursor(MESSAGE)
        try:
            raw = base64.b64decode(cursor + "==", altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):  # not base64, or not ASCII
            raise InvalidCursor(MESSAGE) from None
        body, tag = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
        if not hmac.compare_digest(tag, self._tag(scope, body)):
            raise InvalidCursor(MESSAGE)
        version, micros, id_bytes = _LAYOUT.unpack(body)
        if version != _VERSION:
            raise InvalidCursor(MESSAGE)
        try:
            created_at = _EPOCH + micros * _MICROSECOND
        except OverflowError:  # signed with our key, yet no datetime: still not one of ours
            raise InvalidCursor(MESSAGE) from None
        return Position(created_at, uuid.UUID(bytes=id_bytes))

    def _tag(self, scope: str, body: bytes) -> bytes:
        digest = hmac.new(self._key, scope.encode() + b"\0" + body, hashlib.sha256).digest()
        return digest[:_TAG_BYTES]
