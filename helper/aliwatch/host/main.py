"""The host process: started by the browser, talks frames on stdin/stdout until the browser closes stdin.

Threads, not an event loop (asyncio alone cost a cold start about 25 ms, issue 10): a reader thread does the
blocking exact reads and queues each frame; the main thread takes them in order, answers hello and ping at
once, and hands slow requests to the analysis worker (worker.py) and an export to a thread of its own, so a
ping is answered during an analysis and a push can go out at any time. Every frame goes out through send(),
which writes prefix+body under one lock: frames never interleave."""
from __future__ import annotations

import contextlib
import logging
import os
import queue
import sys
import threading
from concurrent.futures import Future
from typing import BinaryIO

from aliwatch import __version__
from aliwatch.host import codec, dispatch, replies, worker
from aliwatch.host.logs import setup_logging
from aliwatch.host.memory import Memory
from aliwatch.host.reminders import Reminders

log = logging.getLogger("aliwatch.host")

_FRAME, _TOO_LARGE, _EOF, _BROKEN = "frame", "too_large", "eof", "broken"


class Host:
    """One native-messaging connection over a pair of binary streams."""

    def __init__(self, instream: BinaryIO, outstream: BinaryIO) -> None:
        self._in = instream
        self._out = outstream
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._closed = False  # stdout is gone: further sends are dropped
        self._answering: list[Future] = []  # requests being answered off the main thread
        self.memory = Memory(hold_keeps=True)  # this connection's store, UI language, what the extension knows
        self.reminders = Reminders(self)  # pushes `warnings` while connected

    def serve(self) -> int:
        """Answer requests until EOF. Returns the exit code: 0 when the browser closed the port cleanly."""
        threading.Thread(target=self._read_loop, name="aliwatch-stdin", daemon=True).start()
        self.reminders.start()
        code = 0
        while True:
            kind, payload = self._queue.get()
            if kind == _FRAME:
                self._on_frame(payload)  # type: ignore[arg-type]
            elif kind == _TOO_LARGE:
                log.warning("%s", payload)
                self.send(dispatch.frame_error(payload))  # type: ignore[arg-type]
            elif kind == _EOF:
                log.info("stdin closed: the browser disconnected")
                break
            else:  # truncated frame, read error, or stdout gone: the port is unusable
                log.warning("stopping: %s", payload)
                code = 1
                break
        # Requests already read still get their replies (the browser may be reading until it kills us).
        for pending in self._answering:
            with contextlib.suppress(Exception):  # its own errors were answered (or logged) where it ran
                pending.result()
        self.memory.release_keeps()  # nothing held is lost at exit: the store worker finishes before we do
        self.reminders.stop()  # a check already running still pushes what it claimed
        self.reminders.join()
        return code

    def send(self, msg: dict) -> None:
        """Write one message as a single frame. Safe to call from any thread."""
        try:
            data = codec.encode(msg)
        except codec.MessageTooLarge as e:  # a bug in the caller: never send what the browser would reject
            log.error("not sending a %s message: %s", msg.get("type"), e)
            data = codec.encode(replies.error(msg.get("id"), replies.REPLY_TOO_LARGE, str(e)))
        except ValueError as e:  # NaN or an infinity: a bug, but never a frame that is not JSON
            log.error("not sending a %s message: %s", msg.get("type"), e)
            data = codec.encode(replies.error(msg.get("id"), replies.INTERNAL, f"the reply was not JSON: {e}"))
        with self._lock:
            if self._closed:
                return
            try:
                self._out.write(data)  # blocks until the browser reads it; the reader and worker go on
                self._out.flush()
            except (OSError, ValueError) as e:
                self._closed = True
                with contextlib.suppress(Exception):  # drop what is buffered, or exit would retry the flush
                    self._out.close()
                self._queue.put((_BROKEN, f"cannot write to stdout: {e}"))

    def push(self, msg: dict) -> None:
        """Send an unsolicited message (no id), e.g. {"type": "warnings", ...}."""
        if "id" in msg:
            raise ValueError("pushed messages carry no id; replies go through dispatch")
        self.send(msg)

    def _on_frame(self, body: bytes) -> None:
        """Answer hello and ping here, at once; queue the rest where dispatch.lane says they run."""
        self._answering = [p for p in self._answering if not p.done()]
        if len(body) >= dispatch.DECODE_INLINE:  # a big snapshot: decoded off this thread, pings still answer
            self._answering.append(_thread(self._decode_and_answer, body))
            return
        msg, bad = dispatch.decode_body(body)
        if bad:
            self._send_all(bad)
            return
        self._schedule(msg)

    def _schedule(self, msg: object) -> None:
        where = dispatch.lane(msg)
        if where == dispatch.WORKER:
            self._answering.append(worker.submit(self._answer, msg))
        elif where == dispatch.OWN:
            self._answering.append(_thread(self._answer, msg))
        else:
            self._answer(msg)

    def _decode_and_answer(self, body: bytes) -> None:
        msg, bad = dispatch.decode_body(body)
        if bad:
            self._send_all(bad)
        elif dispatch.lane(msg) == dispatch.WORKER:
            worker.run(self._answer, msg)
        else:
            self._answer(msg)

    def _answer(self, msg: object) -> None:
        try:
            messages = dispatch.handle(msg, self.memory)
        except Exception as e:  # dispatch maps errors itself; this is a last resort so the host keeps running
            log.exception("unhandled error while answering a frame")
            messages = [replies.error(None, replies.INTERNAL, f"internal error: {type(e).__name__}")]
        self._send_all(messages)
        if dispatch.lane(msg) == dispatch.WORKER:  # where snapshots are recorded (never mid-way for a ping)
            self.memory.release_keeps()  # a snapshot's markup is scrubbed and kept now, after its reply
        if any(m.get("type") == "analysis" for m in messages):
            self.reminders.poke()  # a stored snapshot may have brought a deadline inside a threshold

    def _send_all(self, messages: list[dict]) -> None:
        for msg in messages:
            self.send(msg)

    def _read_loop(self) -> None:
        """Reader thread: blocking exact reads, each result queued for the main thread."""
        while True:
            item: tuple[str, object]
            try:
                body = codec.read_frame(self._in)
            except codec.FrameTooLarge as e:
                item = (_TOO_LARGE, e)
            except (codec.TruncatedFrame, OSError, ValueError) as e:
                item = (_BROKEN, f"cannot read stdin: {e}")
            else:
                item = (_EOF, None) if body is None else (_FRAME, body)
            self._queue.put(item)
            if item[0] in (_EOF, _BROKEN):
                return


def _thread(fn, *args) -> Future:  # type: ignore[no-untyped-def]
    """fn(*args) in a thread of its own, as a Future like the analysis worker's (one kind to wait for)."""
    done: Future = Future()

    def run() -> None:
        try:
            done.set_result(fn(*args))
        except BaseException as e:  # said here: nobody may ever ask the future
            log.exception("unhandled error in a request thread")
            done.set_exception(e)

    threading.Thread(target=run, name="aliwatch-request").start()
    return done


def _claim_stdio() -> tuple[BinaryIO, BinaryIO]:
    """Take stdin/stdout for frames and point fd 1 at stderr, so a stray print() or a library writing to
    stdout lands in the browser's log instead of corrupting a frame. Raises OSError without usable pipes."""
    # Unbuffered stdin: no BufferedReader lock for a blocked daemon thread to hold at interpreter exit.
    instream = open(0, "rb", buffering=0, closefd=False)
    out_fd = os.dup(1)
    if sys.stdout is not None:
        sys.stdout.flush()
    try:
        os.dup2(2, 1)
    except OSError:  # no usable fd 2 (rare): stray fd-level writes would still hit the pipe
        pass
    sys.stdout = sys.stderr if sys.stderr is not None else open(os.devnull, "w")
    return instream, os.fdopen(out_fd, "wb")


def run() -> int:
    """Entry point of `aliwatch host`."""
    setup_logging()
    try:
        instream, outstream = _claim_stdio()
    except OSError as e:
        log.error("cannot use stdin/stdout as the browser's pipes: %s", e)
        return 1
    # Chrome passes the caller's origin, Firefox the manifest path and the add-on id.
    log.info("host %s started (pid %d, args %r)", __version__, os.getpid(), sys.argv[1:])
    try:
        return Host(instream, outstream).serve()
    except KeyboardInterrupt:
        return 130
