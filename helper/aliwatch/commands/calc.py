"""`aliwatch calc --price P --percent N (--postage X | --weight G)`: refund only, or return and refund?"""
from __future__ import annotations

import argparse
import json
import re
import sys

# "800", "800.50", "800,50", "1 234,50", "1.234,50", "1,234.50": the last separator followed by one or two
# digits is the decimal one; the others group thousands. "1,234" alone is refused: 1234 or 1.234?
_GROUPED = re.compile(r"\d{1,3}(?:[ .,\u00a0\u202f']\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?")


class AmountError(ValueError):
    pass


def parse_amount(text: str, name: str = "amount") -> float:
    """A number as buyers type it, with a decimal point or a decimal comma. Raises AmountError."""
    t = text.strip()
    sign = -1.0 if t.startswith("-") else 1.0  # calc refuses it with its own words
    t = t.lstrip("-")
    if not t or not _GROUPED.fullmatch(t):
        raise AmountError(f"{name} must be a number, written like 800, 800.50 or 800,50 (not {text!r})")
    last = max(t.rfind("."), t.rfind(","))
    tail = t[last + 1:] if last >= 0 else ""
    if last >= 0 and len(tail) == 3 and t[:last] != "0" and not re.search(r"[ .,\u00a0\u202f'].*[.,]", t):
        # One separator before three digits: "1,234" is 1234 in English and 1.234 in Russian.
        raise AmountError(f"{text!r} is ambiguous: write {t[:last]}{tail} or {t[:last]}.{tail}")
    if last >= 0 and (len(tail) <= 2 or t[:last] == "0"):
        whole, frac = t[:last], tail
    else:
        whole, frac = t, ""
    whole = re.sub(r"[ .,\u00a0\u202f']", "", whole)
    return sign * float(f"{whole}.{frac or 0}")


def run(args: argparse.Namespace) -> int:
    from aliwatch import calc

    numbers = {}
    for name in ("price", "postage", "weight"):
        raw = getattr(args, name)
        try:
            numbers[name] = None if raw is None else parse_amount(raw, name)
        except AmountError as exc:
            print(f"aliwatch: --{name}: {exc}", file=sys.stderr)
            return 2
    try:
        result = calc.compare(numbers["price"], args.percent, args.currency, postage=numbers["postage"],
                              weight=numbers["weight"], fault=args.fault)
    except calc.CalcError as exc:
        print(f"aliwatch: --{exc.field}: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(calc.summary(result))
    return 0
