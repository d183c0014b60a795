"""How the warm parent talks to its client: length-prefixed frames one way, JSON lines the other.

Parent to client, on the parent's stdout: a kind byte, a 4-byte big-endian length, the payload. OUTPUT
carries raw bytes a run printed; READY (JSON) says the parent is warm; DONE (JSON) ends a run; FAILED (text)
says the parent could not start. Client to parent, on the parent's stdin: one JSON object per line,
{"run": {...}} or {"cancel": true}; the end of stdin tells the parent to stop.
"""

from __future__ import annotations

import os
import struct

OUTPUT, READY, DONE, FAILED = b"O", b"R", b"D", b"F"
_HEADER = struct.Struct(">cI")


def write_frame(fd: int, kind: bytes, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


def read_frame(fd: int) -> tuple[bytes, bytes] | None:
    """The next frame, or None at the end of the stream."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    kind, size = _HEADER.unpack(header)
    payload = _read_exactly(fd, size)
    return None if payload is None else (kind, payload)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
