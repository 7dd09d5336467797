"""`aliwatch calc --price P --percent N (--postage X | --weight G)`: refund only, or return and refund?"""
from __future__ import annotations

import argparse
import json
import sys


def run(args: argparse.Namespace) -> int:
    from aliwatch import calc

    try:
        result = calc.compare(args.price, args.percent, args.currency, postage=args.postage, weight=args.weight,
                              fault=args.fault)
    except calc.CalcError as exc:
        print(f"aliwatch: --{exc.field}: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(calc.summary(result))
    return 0
