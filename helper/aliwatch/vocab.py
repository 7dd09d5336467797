"""The shared vocabulary (vocab.json): contract statuses and deadline kinds, dispute problem kinds, reminder
thresholds. One small JSON file read at import (cheap enough for the host's start); build.py writes the
extension's copy from the same file, and the tests import these names instead of keeping their own."""
from __future__ import annotations

import json
import os

with open(os.path.join(os.path.dirname(__file__), "vocab.json"), encoding="utf-8") as _f:
    _RAW = json.load(_f)

STATUSES: tuple[str, ...] = tuple(_RAW["statuses"])  # an order's status, besides "unknown"
DEADLINE_KINDS: tuple[str, ...] = tuple(_RAW["deadline_kinds"])
PROBLEMS: tuple[str, ...] = tuple(_RAW["problems"])  # what a dispute is about, in the panel's order
ANALYSIS_PROBLEMS: tuple[str, ...] = tuple(_RAW["analysis_problems"])  # what an analysis did not understand
# Reminder lead times, earliest first: (name, seconds before the deadline).
THRESHOLDS: tuple[tuple[str, int], ...] = tuple((name, int(s)) for name, s in _RAW["reminder_thresholds"])
STALE_DUE_SECONDS: int = int(_RAW["stale_due_seconds"])  # a "due" reminder later than this is old news
# (page kind, regular expression on the URL's path), first match wins.
PAGE_URLS: tuple[tuple[str, str], ...] = tuple((r["kind"], r["path"]) for r in _RAW["page_urls"])
