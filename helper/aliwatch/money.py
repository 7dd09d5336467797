"""Amounts as AliExpress prints them: "US $12.34", "R$126,59", "1 083,46 руб.", "₩32,480", "9,99 €"."""
from __future__ import annotations

import re

# Symbol or word as printed -> ISO 4217. Longest match wins ("US $" before "$").
CURRENCIES = {
    "us $": "USD", "us$": "USD", "usd": "USD", "r$": "BRL", "brl": "BRL", "€": "EUR", "eur": "EUR",
    "руб": "RUB", "₽": "RUB", "rub": "RUB", "₩": "KRW", "krw": "KRW", "zł": "PLN", "pln": "PLN", "c$": "CAD",
    "ca c$": "CAD", "cad": "CAD", "a$": "AUD", "au $": "AUD", "£": "GBP", "gbp": "GBP", "₺": "TRY", "tl": "TRY",
    "mx$": "MXN", "₴": "UAH", "грн": "UAH", "₸": "KZT", "chf": "CHF", "kč": "CZK", "zl": "PLN", "₪": "ILS",
    "¥": "JPY", "¥ ": "JPY", "$": "USD",
}
# The largest amount AliWatch reads or computes with: far above any order, far below where floats lose cents
# (2^53) or Decimal's 28 digits overflow. A bigger printed number is damage, not a price (issue 13).
MAX_AMOUNT = 1e12
MAX_DIGITS = 15  # digits of a readable amount, separators aside
_NUMBER = re.compile(r"\d(?:[\d\s.,]*\d)?")
_SPACE = re.compile(r"\s")
_DECIMALS = re.compile(r"[.,](\d{1,2})$")  # a separator and 1-2 digits at the end
_SEPARATOR = re.compile(r"[.,]")


def parse_money(text: str) -> dict | None:
    """{"text", "amount", "currency"} or None when the text holds no number. `amount` is None when the number
    is past what an order can cost (over MAX_DIGITS digits or MAX_AMOUNT): the analysis says so in a problem."""
    text = " ".join(text.split())
    m = _NUMBER.search(text)
    if not m:
        return None
    raw = m.group(0)
    amount = _amount(raw) if sum(c.isdigit() for c in raw) <= MAX_DIGITS else None
    if amount is not None and not 0 <= amount <= MAX_AMOUNT:
        amount = None
    rest = (text[: m.start()] + " " + text[m.end():]).casefold().strip(" .-:")
    currency = None
    for sym in sorted(CURRENCIES, key=len, reverse=True):
        if sym.strip() and sym.strip() in rest:
            currency = CURRENCIES[sym]
            break
    return {"text": text, "amount": amount, "currency": currency}


def _amount(raw: str) -> float:
    digits = _SPACE.sub("", raw)
    m = _DECIMALS.search(digits)
    if m:  # a separator followed by 1-2 digits at the end is the decimal point
        whole = _SEPARATOR.sub("", digits[: m.start()])
        return float(f"{whole or 0}.{m.group(1)}")
    return float(_SEPARATOR.sub("", digits))
