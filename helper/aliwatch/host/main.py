"""The host process: started by the browser, talks frames on stdin/stdout until the browser closes stdin.

A reader thread does the blocking exact reads and hands frames to the asyncio loop, so the loop is free to
answer pings during an analysis and to push messages at any time. Every frame goes out through send(),
which writes prefix+body under one lock: frames never interleave."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from typing import BinaryIO

from aliwatch import __version__
from aliwatch.host import codec, dispatch, replies
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
        self._lock = asyncio.Lock()
        self._queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
        self._closed = False  # stdout is gone: further sends are dropped
        self.memory = Memory()  # this connection's deadline store, UI language and what the extension knows
        self.reminders = Reminders(self)  # pushes `warnings` while connected

    async def serve(self) -> int:
        """Answer requests until EOF. Returns the exit code: 0 when the browser closed the port cleanly."""
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._read_loop, args=(loop,), name="aliwatch-stdin", daemon=True).start()
        reminder_task = asyncio.create_task(self.reminders.run())
        tasks: set[asyncio.Task[None]] = set()
        code = 0
        while True:
            kind, payload = await self._queue.get()
            if kind == _FRAME:
                task = asyncio.create_task(self._answer(payload))  # type: ignore[arg-type]
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            elif kind == _TOO_LARGE:
                log.warning("%s", payload)
                await self.send(dispatch.frame_error(payload))  # type: ignore[arg-type]
            elif kind == _EOF:
                log.info("stdin closed: the browser disconnected")
                break
            else:  # truncated frame, read error, or stdout gone: the port is unusable
                log.warning("stopping: %s", payload)
                code = 1
                break
        # Requests already read still get their replies (the browser may be reading until it kills us).
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.reminders.stop()  # a check already running still pushes what it claimed
        await asyncio.gather(reminder_task, return_exceptions=True)
        return code

    async def send(self, msg: dict) -> None:
        """Write one message as a single frame. Safe to call from any task."""
        try:
            data = codec.encode(msg)
        except codec.MessageTooLarge as e:  # a bug in the caller: never send what the browser would reject
            log.error("not sending a %s message: %s", msg.get("type"), e)
            data = codec.encode(replies.error(msg.get("id"), replies.REPLY_TOO_LARGE, str(e)))
        except ValueError as e:  # NaN or an infinity: a bug, but never a frame that is not JSON
            log.error("not sending a %s message: %s", msg.get("type"), e)
            data = codec.encode(replies.error(msg.get("id"), replies.INTERNAL, f"the reply was not JSON: {e}"))
        async with self._lock:
            if self._closed:
                return
            try:
                # Off the loop: a 1 MiB write blocks until the browser reads it.
                await asyncio.get_running_loop().run_in_executor(None, self._write, data)
            except (OSError, ValueError) as e:
                self._closed = True
                with contextlib.suppress(Exception):  # drop what is buffered, or exit would retry the flush
                    self._out.close()
                self._queue.put_nowait((_BROKEN, f"cannot write to stdout: {e}"))

    async def push(self, msg: dict) -> None:
        """Send an unsolicited message (no id), e.g. {"type": "warnings", ...}."""
        if "id" in msg:
            raise ValueError("pushed messages carry no id; replies go through dispatch")
        await self.send(msg)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._out.flush()

    async def _answer(self, body: bytes) -> None:
        try:
            messages = await dispatch.dispatch_body(body, self.memory)
        except Exception as e:  # dispatch maps errors itself; this is a last resort so the host keeps running
            log.exception("unhandled error while answering a frame")
            messages = [replies.error(None, replies.INTERNAL, f"internal error: {type(e).__name__}")]
        for msg in messages:
            await self.send(msg)
        if any(m.get("type") == "analysis" for m in messages):
            self.reminders.poke()  # a stored snapshot may have brought a deadline inside a threshold

    def _read_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Reader thread: blocking exact reads, each result handed to the loop."""
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
            try:
                loop.call_soon_threadsafe(self._queue.put_nowait, item)
            except RuntimeError:  # the loop has already stopped
                return
            if item[0] in (_EOF, _BROKEN):
                return


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
        return asyncio.run(Host(instream, outstream).serve())
    except KeyboardInterrupt:
        return 130
