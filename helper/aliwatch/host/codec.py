"""Native-messaging framing: a 4-byte length in native byte order, then that many bytes of UTF-8 JSON.

Pure functions on binary streams, so they can be tested on io.BytesIO. No logging, no policy: callers
decide what an error means for the process."""
from __future__ import annotations

import json
import re
import struct
from typing import BinaryIO

# Chrome rejects extension -> host messages over 64 MiB; both browsers close the port when a host sends
# more than 1 MiB.
MAX_INBOUND = 64 * 1024 * 1024
MAX_OUTBOUND = 1024 * 1024

_PREFIX = struct.Struct("=I")  # "=": native byte order, standard 4-byte size, no padding
PREFIX_SIZE = _PREFIX.size
_DISCARD_CHUNK = 1024 * 1024


class CodecError(Exception):
    """Base class of framing and decoding errors."""


class TruncatedFrame(CodecError):
    """The stream ended inside a frame (in the length prefix or the body)."""


class FrameTooLarge(CodecError):
    """A frame declared more than MAX_INBOUND bytes; its body has already been discarded."""

    def __init__(self, length: int) -> None:
        super().__init__(f"declared length {length} exceeds the {MAX_INBOUND}-byte inbound cap")
        self.length = length


class BadJson(CodecError):
    """A frame body is not UTF-8 JSON."""


class MessageTooLarge(CodecError):
    """An outbound message would exceed MAX_OUTBOUND once encoded."""

    def __init__(self, size: int) -> None:
        super().__init__(f"encoded message is {size} bytes, over the {MAX_OUTBOUND}-byte outbound cap")
        self.size = size


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    """Read exactly n bytes; fewer only at EOF. Pipes may return short reads, so loop."""
    parts: list[bytes] = []
    remaining = n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _discard(stream: BinaryIO, n: int) -> None:
    """Skip n bytes without holding them in memory."""
    while n:
        chunk = stream.read(min(n, _DISCARD_CHUNK))
        if not chunk:
            raise TruncatedFrame(f"stream ended with {n} bytes of an oversize frame still to discard")
        n -= len(chunk)


def read_frame(stream: BinaryIO, max_length: int = MAX_INBOUND) -> bytes | None:
    """Read one frame body. None means a clean EOF before the prefix: the browser closed the port."""
    prefix = _read_exact(stream, PREFIX_SIZE)
    if not prefix:
        return None
    if len(prefix) < PREFIX_SIZE:
        raise TruncatedFrame(f"stream ended inside the length prefix ({len(prefix)} of {PREFIX_SIZE} bytes)")
    (length,) = _PREFIX.unpack(prefix)
    if length > max_length:
        # Skip the body so the next prefix is read from the right place and the host can go on.
        _discard(stream, length)
        raise FrameTooLarge(length)
    body = _read_exact(stream, length)
    if len(body) < length:
        raise TruncatedFrame(f"stream ended inside a frame body ({len(body)} of {length} bytes)")
    return body


def dumps(obj: object) -> bytes:
    """The body bytes of obj: compact UTF-8 JSON (not ASCII-escaped, so sizes are real byte counts).
    Raises ValueError for NaN or an infinity: they are not JSON, and the browser would drop the frame."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (e.g. echoed from a request's "\\ud800" id) has no UTF-8 form; the escaped
        # spelling is still valid JSON for the browser.
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


class Encoded(dict):
    """A message whose body was already encoded, e.g. while sizing the parts of a long reply: encode() sends
    `body` as it is instead of encoding the message again. The dict is the same message, for readers."""

    __slots__ = ("body",)

    def __init__(self, message: dict, body: bytes) -> None:
        super().__init__(message)
        self.body = body


def frame(body: bytes) -> bytes:
    """Prefix body with its byte length."""
    return _PREFIX.pack(len(body)) + body


def encode(obj: object, max_length: int = MAX_OUTBOUND) -> bytes:
    """A whole outbound frame (prefix + body). Raises MessageTooLarge rather than let the browser close the port."""
    body = obj.body if isinstance(obj, Encoded) else dumps(obj)
    if len(body) > max_length:
        raise MessageTooLarge(len(body))
    return frame(body)


def _reject_constant(name: str) -> object:
    # Python's json accepts NaN/Infinity, JSON does not; echoing one back would break the browser's parser.
    raise ValueError(f"{name} is not JSON")


# A lone UTF-16 surrogate can only arrive as a JSON escape (UTF-8 cannot carry one): "\ud83d" alone.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _mend(value: object) -> object:
    """value with every lone surrogate in its strings (keys too) replaced by U+FFFD. Chrome passes a page's
    broken emoji through; one of them must not make a whole snapshot unreadable (issue 13)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_mend(v) for v in value]
    if isinstance(value, dict):
        return {_mend(k): _mend(v) for k, v in value.items()}  # type: ignore[misc]
    return value


def decode(body: bytes) -> object:
    """Parse a frame body. Raises BadJson for invalid UTF-8 or JSON. Lone surrogates become U+FFFD, except in
    a request's top-level `id`, which is echoed exactly as sent (dumps() escapes it)."""
    try:
        msg = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        if not _SURROGATE_ESCAPE.search(body):
            return msg
        if isinstance(msg, dict):
            return {k: (v if k == "id" else _mend(v)) for k, v in msg.items()}
        return _mend(msg)
    except UnicodeDecodeError as e:
        raise BadJson(f"frame is not valid UTF-8 (byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise BadJson(f"frame is not valid JSON: {e.msg} at character {e.pos}") from None
    except ValueError as e:  # e.g. an integer with more digits than int() accepts
        raise BadJson(f"frame is not valid JSON: {e}") from None
    except RecursionError:
        raise BadJson("frame JSON is nested too deeply") from None
