"""`aliwatch phrases`: the words you taught AliWatch (issue #11): list them, `--remove LANG TEXT` (or an id)
forgets one, `--add LANG TEXT STATUS` teaches one without the browser. Also stored_overrides(), which
`analyze`, `add`, `report` and `reparse` read them with."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone

from aliwatch.commands.deadlines import open_store


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


def run(args: argparse.Namespace) -> int:
    from aliwatch.overrides import OverrideError, check

    try:
        if args.add:
            lang, text, key = check(args.add[0], args.add[1], args.add[2])
        elif args.remove:
            target = _target(args.remove)
    except OverrideError as e:
        print(f"aliwatch: {e.field}: {e.message}", file=sys.stderr)
        return 2
    store = open_store()
    if store is None:
        return 1
    with store:
        if args.add:
            row = store.set_override(lang, key, text, args.add[2], datetime.now(timezone.utc))
            print(f"Taught: on {row['lang']} pages, {row['text']!r} reads as {row['status']}.")
            return 0
        if args.remove:
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
