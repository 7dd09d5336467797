"""The helper's message catalogue: warning titles and details per UI language (one JSON file each)."""
from __future__ import annotations

import json
from functools import lru_cache
import os

FALLBACK = "en"


@lru_cache(maxsize=None)
def load(lang: str) -> dict:
    base = (lang or FALLBACK).lower().replace("_", "-").split("-")[0]
    path = os.path.join(os.path.dirname(__file__), f"{base}.json")
    if not os.path.isfile(path):
        path = os.path.join(os.path.dirname(__file__), f"{FALLBACK}.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)
