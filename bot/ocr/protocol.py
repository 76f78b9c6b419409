"""Frames between the bot and the OCR worker: a 4-byte big-endian length, then the payload."""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

HEADER = struct.Struct(">I")


def encode(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def encode_json(message: dict[str, Any]) -> bytes:
    return encode(json.dumps(message).encode())


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next payload from a blocking stream, or None at a clean end of input."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload
