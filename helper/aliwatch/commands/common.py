"""What several commands share: reading the --now option, and opening the deadline store with a clear
message when it cannot be opened."""
from __future__ import annotations

import sys
from datetime import datetime, timezone


def parse_now(text: str | None) -> datetime:
    """--now: an ISO 8601 moment with an offset (default: the current time). Raises ValueError."""
    if not text:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--now is not an ISO 8601 moment: {text!r}; write it like 2026-11-26T09:00:00+00:00"
                         ) from None
    if moment.tzinfo is None:
        raise ValueError("--now needs a UTC offset, e.g. 2026-11-26T09:00:00+00:00")
    return moment


def open_store():  # type: ignore[no-untyped-def]
    """The store, or None after saying on stderr why it cannot be opened."""
    from aliwatch.store import Store, default_path

    try:
        return Store()
    except Exception as e:  # a permissions problem, a file from a newer AliWatch, a corrupt file
        print(f"aliwatch: cannot open the deadline store {default_path()}: {e}", file=sys.stderr)
        return None
