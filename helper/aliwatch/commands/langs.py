"""argparse types for language options: an unknown language is refused with the list, never quietly read
as English. UI languages are the message catalogues (catalog/*.json); page languages the phrase tables
(phrases/*.json). Regional tags ('pt-BR', 'en_US') name their base language."""
from __future__ import annotations

import argparse
import re

_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def _check(value: str, have: tuple[str, ...], what: str) -> str:
    m = _TAG.fullmatch(value.strip())
    if not m or m[1].lower() not in have:
        raise argparse.ArgumentTypeError(f"unknown {what} {value!r}; choose one of: {', '.join(have)}")
    return value.strip()


def ui_lang(value: str) -> str:
    """Language of warnings, drafts, tables: one with a catalogue."""
    from aliwatch import catalog

    return _check(value, catalog.available(), "language")


def page_lang(value: str) -> str:
    """Language the saved page is written in: one with a phrase table."""
    from aliwatch import phrases

    return _check(value, phrases.available(), "page language")


def port(value: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a port: use 1-65535 (or 0 for any free port)")
    return number
