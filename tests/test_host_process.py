"""The real `python -m aliwatch host` process, driven through its stdin/stdout with real frames."""
from __future__ import annotations

import copy
import struct
import subprocess
import sys
from pathlib import Path

from aliwatch.host.codec import MAX_INBOUND, MAX_OUTBOUND, encode
from helpers.host import HOST, run_host
from helpers.snapshots import fixture_snapshot


def oversize_frame() -> bytes:
    return struct.pack("=I", MAX_INBOUND + 1) + b" " * (MAX_INBOUND + 1)


def test_session_survives_garbage_and_oversize_and_exits_0_on_eof() -> None:
    stdin = b"".join([
        encode({"type": "hello", "id": 1}),
        encode({"type": "ping", "id": 2}),
        struct.pack("=I", 8) + b"\x00garbage",  # not JSON
        oversize_frame(),
        encode({"type": "ping", "id": 5}),
        encode([1, 2]),
        encode({"type": "nope", "id": 7}),
        encode({"type": "ping", "id": 8}),
    ])
    code, frames, err = run_host(stdin)
    assert code == 0, err
    summary = sorted((str(f.get("id")), f["type"], f.get("code", "")) for f in frames)
    assert summary == sorted([
        ("1", "hello", ""), ("2", "pong", ""), ("None", "error", "bad_json"), ("None", "error", "message_too_large"),
        ("5", "pong", ""), ("None", "error", "bad_message"), ("7", "error", "unknown_type"), ("8", "pong", ""),
    ])
    assert "Traceback" not in err


def test_eof_inside_a_frame_exits_nonzero_after_answering() -> None:
    stdin = encode({"type": "ping", "id": 1}) + struct.pack("=I", 50) + b'{"type":'
    code, frames, err = run_host(stdin)
    assert [f["type"] for f in frames] == ["pong"]
    assert code == 1
    assert "cannot read stdin" in err


def test_closed_stdout_ends_the_host_without_waiting_for_stdin() -> None:
    # The browser side of stdout is gone: the host must notice on its first write and exit, not hang.
    proc = subprocess.Popen(HOST, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdout.close()
        proc.stdin.write(encode({"type": "ping", "id": 1}) * 3)
        proc.stdin.flush()
        assert proc.wait(timeout=30) == 1  # stdin is still open
        err = proc.stderr.read().decode()
        assert "cannot write to stdout" in err and "Exception ignored" not in err
    finally:
        proc.kill()
        proc.stdin.close()
        proc.stderr.close()


def test_no_input_exits_0_silently() -> None:
    code, frames, err = run_host(b"")
    assert (code, frames) == (0, [])


def test_logs_go_to_stderr_and_the_log_file(tmp_path: Path) -> None:
    log = tmp_path / "host.log"
    code, frames, err = run_host(encode({"type": "ping", "id": 1}),
                                 env={"ALIWATCH_LOGLEVEL": "info", "ALIWATCH_LOG": str(log)})
    assert code == 0 and [f["type"] for f in frames] == ["pong"]
    assert "started" in err
    text = log.read_text(encoding="utf-8")
    assert "started" in text and "stdin closed" in text


def test_stray_writes_to_stdout_cannot_corrupt_frames() -> None:
    # A handler that print()s and writes to fd 1 directly, as a careless library might.
    script = (
        "import os, sys\n"
        "from aliwatch.host import dispatch\n"
        "def noisy(req_id, msg, memory):\n"
        "    print('stray print')\n"
        "    os.write(1, b'raw fd write\\n')\n"
        "    return [{'type': 'pong', 'id': req_id, 'time': 'now'}]\n"
        "dispatch._HANDLERS['ping'] = noisy\n"
        "from aliwatch.host.main import run\n"
        "sys.exit(run())\n"
    )
    code, frames, err = run_host(encode({"type": "ping", "id": 1}) + encode({"type": "hello", "id": 2}),
                                 cmd=[sys.executable, "-c", script])
    assert code == 0
    assert [f["type"] for f in frames] == ["pong", "hello"]
    assert "stray print" in err and "raw fd write" in err


def test_snapshot_is_analysed() -> None:
    snapshot, truth = fixture_snapshot("list_en_mixed", req_id=3)
    code, frames, err = run_host(encode({"type": "hello", "id": 1}) + encode(snapshot))
    assert code == 0, err
    analysis = [f for f in frames if f["type"] == "analysis"]
    assert len(analysis) == 1 and analysis[0]["id"] == 3 and analysis[0]["parts"] == 1
    assert sorted(c["key"] for c in analysis[0]["cards"]) == sorted(c["key"] for c in snapshot["cards"])
    assert {c["order_id"] for c in analysis[0]["cards"]} == set(truth["orders"])


def many_items(card_html: str, n: int) -> str:
    """The card with n items, as a big multi-item order: distinct item ids and long marketplace titles."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(card_html, "lxml")
    body = soup.select_one(".order-item-content-body")
    for j in range(1, n):
        clone = copy.copy(body)
        for a in clone.select("a[href]"):
            a["href"] = a["href"].replace(".html", f"{j:02d}.html")
        span = clone.select_one(".order-item-content-info-name span")
        span.string = span["title"] = (
            f"{span['title']} – variant {j}, 2026 new arrival, high quality, fast shipping, 100% brand new, "
            "gift for men women kids, waterproof −20°C to 60°C, compatible with most devices")
        body.insert_after(clone)
    return str(soup.select_one("div.order-item"))


def big_snapshot(n_cards: int = 200, n_items: int = 24) -> dict:
    """A list snapshot whose analysis (item titles, draft messages) is well over 1 MiB."""
    snapshot, _ = fixture_snapshot("list_en_big")
    grown = [many_items(c["html"], n_items) for c in snapshot["cards"]]
    snapshot["cards"] = [{"key": f"big{i}", "html": grown[i % len(grown)]} for i in range(n_cards)]
    snapshot["id"] = "big"
    return snapshot


def test_big_analysis_comes_in_parts_and_pings_answer_meanwhile() -> None:
    snapshot = big_snapshot()
    code, frames, err = run_host(encode(snapshot, MAX_INBOUND) + encode({"type": "ping", "id": "p"}))
    assert code == 0, err
    assert frames[0]["type"] == "pong"  # answered while the analysis was still running
    parts = [f for f in frames if f["type"] == "analysis"]
    assert all(f["id"] == "big" for f in parts)
    assert [f["part"] for f in parts] == list(range(1, len(parts) + 1))
    assert {f["parts"] for f in parts} == {len(parts)}
    assert sum(len(encode(f)) - 4 for f in parts) > MAX_OUTBOUND  # the analysis really was over the limit
    assert len(parts) >= 2
    keys = [c["key"] for f in parts for c in f["cards"]]
    assert sorted(keys) == sorted(c["key"] for c in snapshot["cards"])
    assert not [f for f in frames if f["type"] == "error"]
