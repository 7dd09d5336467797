"""The helper's message catalogue: warning titles and details per UI language (one JSON file each)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

FALLBACK = "en"


@lru_cache(maxsize=None)
def load(lang: str) -> dict:
    base = (lang or FALLBACK).lower().replace("_", "-").split("-")[0]
    res = resources.files(__package__).joinpath(f"{base}.json")
    if not res.is_file():
        res = resources.files(__package__).joinpath(f"{FALLBACK}.json")
    return json.loads(res.read_text("utf-8"))
