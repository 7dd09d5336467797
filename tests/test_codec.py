"""Framing on in-memory streams: lengths in bytes, exact reads, caps in both directions."""
from __future__ import annotations

import io
import json
import struct
import sys

import pytest

from aliwatch.host import codec
from aliwatch.host.codec import (MAX_INBOUND, MAX_OUTBOUND, BadJson, FrameTooLarge, MessageTooLarge, TruncatedFrame,
                                 decode, encode, read_frame)


def framed(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


class Trickle(io.RawIOBase):
    """A pipe that hands out at most `step` bytes per read, like a slow writer on the other end."""

    def __init__(self, data: bytes, step: int = 1) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self._step if n < 0 else min(n, self._step)
        chunk = self._data[self._pos:self._pos + n]
        self._pos += len(chunk)
        return chunk


def test_constants_are_the_browser_limits() -> None:
    assert MAX_INBOUND == 64 * 1024 * 1024
    assert MAX_OUTBOUND == 1024 * 1024


def test_length_counts_utf8_bytes_in_native_order() -> None:
    msg = {"text": "Заказ №1 · 주문 · ✓ 😀"}
    data = encode(msg)
    body = data[4:]
    assert int.from_bytes(data[:4], sys.byteorder) == len(body)
    assert len(body) > len(json.dumps(msg, ensure_ascii=False, separators=(",", ":")))  # bytes, not characters
    assert b"\\u" not in body  # sent as UTF-8, not ASCII escapes
    assert json.loads(body.decode("utf-8")) == msg


def test_read_frames_in_sequence_then_clean_eof() -> None:
    stream = io.BytesIO(encode({"id": 1}) + encode({"id": "é"}) + framed(b""))
    assert decode(read_frame(stream)) == {"id": 1}
    assert decode(read_frame(stream)) == {"id": "é"}
    assert read_frame(stream) == b""  # an empty frame is a frame, not EOF
    assert read_frame(stream) is None


def test_prefix_and_body_split_across_reads() -> None:
    data = encode({"type": "ping", "id": 7, "pad": "x" * 100}) + encode({"type": "hello", "id": 8})
    stream = Trickle(data, step=1)
    assert decode(read_frame(stream))["id"] == 7
    assert decode(read_frame(stream))["id"] == 8
    assert read_frame(stream) is None


def test_eof_inside_prefix_is_truncation() -> None:
    with pytest.raises(TruncatedFrame):
        read_frame(io.BytesIO(b"\x05\x00"))


def test_short_body_is_truncation() -> None:
    with pytest.raises(TruncatedFrame):
        read_frame(io.BytesIO(struct.pack("=I", 10) + b"{}"))


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe{}", b'{"a": NaN}', b"", b'{"a": 1} x'])
def test_bad_json_or_utf8_is_a_codec_error(body: bytes) -> None:
    with pytest.raises(BadJson):
        decode(read_frame(io.BytesIO(framed(body))))


def test_oversize_inbound_is_discarded_and_next_frame_read() -> None:
    junk = b"j" * (MAX_INBOUND + 1)
    stream = io.BytesIO(struct.pack("=I", len(junk)) + junk + encode({"type": "ping", "id": 2}))
    with pytest.raises(FrameTooLarge) as info:
        read_frame(stream)
    assert info.value.length == MAX_INBOUND + 1
    assert stream.tell() == 4 + len(junk)  # exactly the declared body was skipped
    assert decode(read_frame(stream)) == {"type": "ping", "id": 2}


def test_largest_inbound_frame_is_accepted() -> None:
    body = json.dumps("x" * (MAX_INBOUND - 2)).encode()
    assert len(body) == MAX_INBOUND
    assert read_frame(io.BytesIO(framed(body))) == body


def test_oversize_frame_cut_short_is_truncation() -> None:
    with pytest.raises(TruncatedFrame):
        read_frame(io.BytesIO(struct.pack("=I", MAX_INBOUND + 10) + b"abc"))


def test_outbound_cap_is_one_mebibyte_of_body() -> None:
    at_cap = "x" * (MAX_OUTBOUND - 2)  # the quotes make it exactly MAX_OUTBOUND bytes
    assert len(encode(at_cap)) == 4 + MAX_OUTBOUND
    with pytest.raises(MessageTooLarge) as info:
        encode(at_cap + "x")
    assert info.value.size == MAX_OUTBOUND + 1
    with pytest.raises(MessageTooLarge):  # counted in bytes: 2-byte characters hit the cap at half the length
        encode("é" * (MAX_OUTBOUND // 2))


def test_lone_surrogate_is_escaped_not_a_crash() -> None:
    data = encode({"id": "\ud800x"})
    assert json.loads(data[4:].decode("utf-8")) == {"id": "\ud800x"}


def test_dumps_matches_encode_body() -> None:
    msg = {"a": [1, "é"]}
    assert codec.frame(codec.dumps(msg)) == encode(msg)
