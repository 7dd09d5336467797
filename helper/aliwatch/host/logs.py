"""Logging for the host: stderr (the browser shows it in its console/log) and optionally a file.
Never stdout: that pipe carries frames only."""
from __future__ import annotations

import logging
import os
import sys

_FORMAT = "aliwatch-host %(levelname)s %(name)s: %(message)s"
_FILE_FORMAT = "%(asctime)s pid=%(process)d %(levelname)s %(name)s: %(message)s"


def _level(name: str) -> tuple[int, bool]:
    value = logging.getLevelName(name.strip().upper())
    if isinstance(value, int):
        return value, True
    return (int(name), True) if name.strip().isdigit() else (logging.WARNING, False)


def setup_logging() -> None:
    """Level from ALIWATCH_LOGLEVEL (default WARNING); also append to the file ALIWATCH_LOG names."""
    raw = os.environ.get("ALIWATCH_LOGLEVEL", "WARNING")
    level, known = _level(raw)
    root = logging.getLogger()
    root.setLevel(level)
    if sys.stderr is not None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    if not known:
        logging.getLogger("aliwatch.host").warning("ALIWATCH_LOGLEVEL=%r is not a level; using WARNING", raw)
    path = os.environ.get("ALIWATCH_LOG")
    if path:
        try:
            file_handler = logging.FileHandler(path, encoding="utf-8")
        except OSError as e:
            logging.getLogger("aliwatch.host").warning("cannot open ALIWATCH_LOG=%r: %s", path, e)
        else:
            file_handler.setFormatter(logging.Formatter(_FILE_FORMAT))
            root.addHandler(file_handler)
