"""The shapes dates and remaining times take on AliExpress pages, as regular expressions; reading them into
moments is dates.py's job. The phrase tables compile their sentence templates with these, and dates.py reads
month names from the tables, so the shapes live apart: neither module imports the other in a circle."""
from __future__ import annotations

import re
from functools import lru_cache

_TIME = r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?"
WORD = r"[^\W\d_]{3,12}"
# A month word that may run into the next word without a space ("14 январяЕсли заказ…": inline elements join
# as the browser renders them): lower-case after its first letter, and it ends where a capital starts.
_MONTH = r"(?-i:[^\W\d_][^\W\d_A-ZА-ЯЁ]{2,11}(?![^\W\d_A-ZА-ЯЁ]))"  # case-sensitive inside IGNORECASE
_DAY = r"\d{1,2}(?:er)?\.?"  # "14", "14." (de, pl), "1er" (fr)
# A date in any of the shapes seen on AliExpress pages, in any language.
DATE_PATTERN = (
    r"\d{4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일"  # 2026년 5월 21일
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"  # 2026-11-25 08:10:02
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}" + _TIME +  # 14.01.2027, 01/14/2027, 14-01-2027 (nl)
    r"|" + _DAY + r"\s+(?:de\s+)?" + WORD + r"\.?,?\s+(?:de\s+)?\d{4}(?:\s*г\.?|\s*r\.)?" + _TIME +  # 1er déc. 2026
    r"|" + WORD + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}" + _TIME +  # Dec 1, 2026 / Apr. 19 2019
    # No year (aliexpress.ru: "от 3 ноября", "Доставим до 9 января"); read by `parse_date` around `now`.
    r"|" + _DAY + r"\s+(?:de\s+)?" + _MONTH + r"\.?"  # 9 января / 9 de enero / 12 February
    r"|" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?![\d:])"  # Feb 12
)
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)


def date_at_end(text: str) -> re.Match | None:
    """The date a text ends with: "İtiraz kapatıldı. 19 Kas 2026" before "tarihinde…" (the words before it
    belong to another clause). Sentences that open with their date (tr, ko) are read with this one."""
    return _date_at_end().search(text)


@lru_cache(maxsize=1)
def _date_at_end() -> re.Pattern:  # compiled on first use: English pages never need it, the host starts faster
    return re.compile(r"(?:" + DATE_PATTERN + r")(?=\s*$)", re.IGNORECASE)


# Remaining times: "12 days 05:32:11", "12D 05:32:11", "12 дн. 05:32:11", "05:32:11", "2 days 3 hours", and each
# table's own unit words ("12 jours 05:32:11", "12 Tage", "12 gün") on top of the English ones.
def countdown_pattern(units: dict[str, int]) -> str:
    words = sorted(set(units) | set(BASE_UNITS), key=len, reverse=True)
    unit = "(?:" + "|".join(re.escape(w) for w in words) + r")\.?"
    pair = r"\d{1,4}\s*" + unit + r"(?![^\W\d_])"
    clock = r"\d{1,3}:\d{2}(?::\d{2})?"
    return r"(?:(?:" + pair + r"[\s,]*){1,4}(?:" + clock + r")?|" + clock + r")"  # "12 days, 05:32:11" too


# English units are understood on every page: AliExpress leaves English strings in translated pages.
BASE_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
              "day": 86400, "hour": 3600, "hrs": 3600, "hr": 3600, "minute": 60, "mins": 60, "min": 60, "second": 1,
              "secs": 1, "sec": 1}
