"""Words the user taught AliWatch (issue #11): a status text no phrase table knows, answered in the panel of
its `unrecognized` badge, read as that status from then on.

An override is (page language, exact folded status text) → a contract status. It is data the analysis is
given (`analysis.analyze_html(..., overrides=...)`), never a rule of the parser: it is looked at only for an
order whose status is `unknown`, only on an exact match of `text.fold(status_text)`, and only after the
order's deadlines are settled, so it can change the status and the warnings that follow from it but never a
deadline. The store keeps them (store/schema.py `phrase_overrides`); this module holds the checks and the
matching, both pure."""
from __future__ import annotations

import re

from aliwatch import vocab

MAX_TEXT = 200  # a status is a few words; a longer "status" is a card the parser misread
STATUSES = tuple(vocab.STATUSES)  # what a status may be taught as (never `unknown`)
_LANG = re.compile(r"[a-z]{2,3}")

Overrides = dict  # {(lang, key): status}


class OverrideError(ValueError):
    """A field of an override is not acceptable; `field` names it (the host's `bad_argument`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def key(text: str) -> str:
    """The comparison key of a status text: the parser's own folding (case, width, spaces, ё, the
    punctuation around it), so "Zorbling", " zorbling." and "ＺＯＲＢＬＩＮＧ" are one word."""
    from aliwatch.text import fold  # bs4 comes with it: only when an override is read or made

    return fold(text)


def check(lang: object, text: object, status: object) -> tuple[str, str, str]:
    """(lang, text as shown, key) of a valid override, or OverrideError naming the first bad field."""
    from aliwatch import phrases

    if not isinstance(lang, str) or not _LANG.fullmatch(lang) or phrases.resolve(lang) != lang:
        raise OverrideError("lang", f"must be the page language AliWatch read it in, one of "
                                    f"{', '.join(phrases.available())}")
    if not isinstance(text, str):
        raise OverrideError("text", "must be a string: the status text exactly as the page shows it")
    if len(text) > MAX_TEXT:
        raise OverrideError("text", f"is longer than {MAX_TEXT} characters: not a status")
    folded = key(text)
    if not folded:
        raise OverrideError("text", "has no letters or digits")
    if status not in STATUSES:
        raise OverrideError("status", f"must be one of {', '.join(STATUSES)}")
    return lang, " ".join(text.split()), folded


def taught(overrides: Overrides | None, lang: str, status: str, status_text: str | None) -> str | None:
    """The taught status of an order read as `status` with `status_text` on a page in `lang`, or None.
    Only an unknown status is ever looked up: a status a table or a structural signal decided stays."""
    if not overrides or status != "unknown" or not status_text:
        return None
    return overrides.get((lang, key(status_text)))
