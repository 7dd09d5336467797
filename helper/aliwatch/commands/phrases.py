"""`aliwatch phrases`: the words you taught AliWatch (issue #11): list them, `--remove LANG TEXT` (or an id)
forgets one, `--add LANG TEXT STATUS` teaches one without the browser. The other commands read them with
common.stored_overrides()."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone

from aliwatch.commands.common import open_store


def run(args: argparse.Namespace) -> int:
    from aliwatch.overrides import OverrideError, check

    taught = target = None
    try:
        if args.add:
            taught = check(args.add[0], args.add[1], args.add[2])
        elif args.remove:
            target = _target(args.remove)
    except OverrideError as e:
        print(f"aliwatch: {e.field}: {e.message}", file=sys.stderr)
        return 2
    store = open_store()  # None: why is said on stderr
    return 1 if store is None else _apply(store, args, taught, target)


def _apply(store, args: argparse.Namespace, taught: tuple | None,  # type: ignore[no-untyped-def]
           target: dict | None) -> int:
    """Teach, forget or list, on an open store (closed here)."""
    with store:
        if taught:
            lang, text, key = taught
            row = store.set_override(lang, key, text, args.add[2], datetime.now(timezone.utc))
            print(f"Taught: on {row['lang']} pages, {row['text']!r} reads as {row['status']}.")
            return 0
        if target:
            if not store.remove_override(**target):
                print(f"aliwatch: no taught word {' '.join(args.remove)!r} (see `aliwatch phrases`)", file=sys.stderr)
                return 1
            print(f"Forgot the taught word {' '.join(args.remove)!r}.")
            return 0
        rows = store.overrides()
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not rows:
        print("No taught words. Answer \"What does … mean?\" on a badge that cannot read a status, or use --add.")
    else:
        width = max(len(str(r["id"])) for r in rows)
        for r in rows:
            print(f"{r['id']:>{width}}  {r['lang']}  {r['text']!r} → {r['status']}  ({r['created_at'][:10]})")
    return 0


def _target(values: list[str]) -> dict:
    """--remove ID or --remove LANG TEXT → the store's remove_override arguments (OverrideError if neither)."""
    from aliwatch.overrides import OverrideError, check

    if len(values) == 1:
        if not values[0].isascii() or not values[0].isdigit() or int(values[0]) < 1:
            raise OverrideError("--remove", "give an id from `aliwatch phrases`, or LANG TEXT")
        return {"override_id": int(values[0])}
    if len(values) != 2:
        raise OverrideError("--remove", "give an id, or LANG TEXT (quote a text of several words)")
    lang, _, key = check(values[0], values[1], "completed")  # any valid status: only the word is named
    return {"lang": lang, "key": key}
