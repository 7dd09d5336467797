"""The dispute-draft texts: drafts/<lang>.json (sentences) and drafts/problems.json (problem kinds, their
suggested outcomes and the problem each order status assumes). Data only; draft.py composes the messages,
and the analysis names each card's default problem from here without importing the composer."""
from __future__ import annotations

import json
import os
from functools import lru_cache

DIR = os.path.dirname(__file__)


@lru_cache(maxsize=1)
def problems_table() -> dict:
    with open(os.path.join(DIR, "problems.json"), encoding="utf-8") as f:
        return json.load(f)


def default_problem(status: str | None) -> str | None:
    """The problem an analysis card's draft assumes for its status (None: no dispute makes sense yet)."""
    return problems_table()["default_by_status"].get(status or "")
