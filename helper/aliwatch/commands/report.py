"""`aliwatch report PAGE.html -o COPY.html`: an anonymised copy of a saved page, to attach to a bug report."""
from __future__ import annotations

import argparse
import os
import sys

from aliwatch.commands.common import stored_overrides
from aliwatch.commands.pages import load_page
from aliwatch.report import Anonymiser, taught_words, with_taught_words


def run(args: argparse.Namespace) -> int:
    source = load_page(args.page)  # refuses empty, binary and non-page files like analyze and draft
    if source is None:
        return 2
    if args.output != "-" and args.page != "-":
        if os.path.exists(args.output) and os.path.samefile(args.page, args.output):
            print("aliwatch: the output would overwrite the page; choose another -o", file=sys.stderr)
            return 2
    # The copy is written in the page's own encoding, so its <meta charset> stays true (characters the
    # encoding lacks become character references). An MHTML file gives its HTML page only.
    anonymiser = Anonymiser(args.seed)
    out = anonymiser.page(source.text, args.url or source.url)
    words = taught_words(source.text, args.url or source.url, stored_overrides())
    out = with_taught_words(out, words)
    try:
        if args.output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(out.encode(source.charset, errors="xmlcharrefreplace"))
            sys.stdout.buffer.flush()
        else:
            with open(args.output, "w", encoding=source.charset, errors="xmlcharrefreplace", newline="") as f:
                f.write(out)
    except OSError as exc:
        print(f"aliwatch: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    s = anonymiser.stats
    where = "stdout" if args.output == "-" else args.output
    print(f"aliwatch: wrote {where}: {s.ids} ids and numbers replaced, {s.personal} personal text fields, "
          f"{s.scripts} scripts emptied, {s.secrets} tokens removed. Check it before you share it.",
          file=sys.stderr)
    if words:
        print(f"aliwatch: {len(words)} word(s) you taught AliWatch are named at the top of the copy.", file=sys.stderr)
    return 0
