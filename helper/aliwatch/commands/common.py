"""What several commands share: reading the --now option, opening the deadline store with a clear
message when it cannot be opened, and reading the words the user taught (for every command that analyses)."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

T = TypeVar("T")


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


def stored_overrides() -> dict:
    """{(lang, key): status} from the store, or {} when there is no store yet (reading one never creates
    it) or it cannot be read (said on stderr: the page is still analysed, without the taught words)."""
    from aliwatch.store import Store, default_path

    if not default_path().exists():
        return {}
    try:
        with Store() as store:
            return store.override_map()
    except Exception as e:
        print(f"aliwatch: the words you taught are not used: cannot read {default_path()}: {e}", file=sys.stderr)
        return {}


def now_option(text: str | None) -> datetime | None:
    """parse_now for a command: None after saying on stderr what is wrong with --now (the command exits 2)."""
    try:
        return parse_now(text)
    except ValueError as e:
        print(f"aliwatch: {e}", file=sys.stderr)
        return None


def read_store(now_text: str | None, read: Callable[[Any, datetime], T]) -> tuple[int, datetime | None, T | None]:
    """(exit code, now, read(store, now)) for a command that reads the store at --now: 2 after a bad --now,
    1 when the store cannot be opened (both said on stderr), else 0."""
    now = now_option(now_text)
    if now is None:
        return 2, None, None
    store = open_store()
    if store is None:
        return 1, now, None
    with store:
        return 0, now, read(store, now)
