"""Refund only, or return and refund? What each option leaves the buyer, and which to choose. Pure.

The refund guide's blouse: price 800, postage to China 540, so a return nets 260 while a 90% refund
without sending anything back nets 720 and the buyer keeps the blouse. `aliwatch calc`, the host's `calc`
message and the draft's amounts all use this module, so the panel and the command line agree."""
from __future__ import annotations

import json
import math
import os
import re
from decimal import ROUND_HALF_UP, Decimal

from aliwatch.model import FieldError

FAULTS = ("buyer", "seller")  # buyer: change of mind, the buyer pays the postage; seller: the seller pays
# Currencies without minor units (ISO 4217 exponent 0) among those AliExpress shows; all others use cents.
ZERO_DECIMAL = {"KRW", "JPY", "CLP", "VND", "ISK", "UGX", "PYG"}
SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "BRL": "R$", "GBP": "£", "KRW": "₩", "PLN": "zł", "UAH": "₴",
           "KZT": "₸", "TRY": "₺", "JPY": "¥", "ILS": "₪"}
POSTAGE_FILE = os.path.join(os.path.dirname(__file__), "postage.json")
_CURRENCY = re.compile(r"[A-Z]{3}")


class CalcError(FieldError):
    """Bad input, naming the field at fault (the CLI prints it, the host answers `bad_argument`)."""


def digits(currency: str | None) -> int:
    return 0 if currency in ZERO_DECIMAL else 2


def round_money(amount: float, currency: str | None) -> int | float:
    """Half up on the decimal value as written (2.675 → 2.68), not on its binary approximation."""
    step = Decimal(1).scaleb(-digits(currency))
    value = Decimal(repr(float(amount))).quantize(step, rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def format_amount(amount: float, currency: str | None = None, *, decimal: str = ".", group: str = ",",
                  symbol: bool = False) -> str:
    """'1,236.50 RUB', '1 236,50 RUB', '260 ₽': whole amounts lose their cents, the rest keep two digits."""
    value = round_money(amount, currency)
    whole, _, cents = f"{abs(value):.{0 if isinstance(value, int) else 2}f}".partition(".")
    whole = f"{int(whole):,}".replace(",", group)
    text = ("-" if value < 0 else "") + whole + (decimal + cents if cents else "")
    if not currency:
        return text
    return f"{text} {SYMBOLS.get(currency, currency) if symbol else currency}"


def load_postage(path: str | None = None) -> dict:
    """The postage table: `path`, else $ALIWATCH_POSTAGE, else the packaged postage.json."""
    path = path or os.environ.get("ALIWATCH_POSTAGE") or POSTAGE_FILE
    try:
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    except (OSError, ValueError) as exc:
        raise CalcError("weight", f"cannot read the postage table {path}: {exc}") from None
    if not isinstance(table, dict) or not isinstance(table.get("tables"), dict):
        raise CalcError("weight", f"the postage table {path} has no \"tables\" object")
    return table


def estimate_postage(weight: float, currency: str, table: dict) -> dict:
    """{postage, up_to, source} from the first bracket the weight fits. Never extrapolates."""
    entry = table["tables"].get(currency)
    if not entry:
        have = ", ".join(sorted(table["tables"])) or "none"
        raise CalcError("weight", f"no postage table for {currency} (tables: {have}); give --postage instead")
    brackets = sorted(entry["brackets"])
    for up_to, price in brackets:
        if weight <= up_to:
            return {"postage": price, "up_to": up_to, "source": entry.get("source", "")}
    raise CalcError("weight", f"{weight:g} g is over the heaviest bracket ({brackets[-1][0]} g) of the "
                              f"{currency} table; give --postage instead")


def _number(field: str, value: object, *, low: float, allow_low: bool) -> float:
    from aliwatch.money import MAX_AMOUNT

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CalcError(field, f"{field} must be a number")
    if value > MAX_AMOUNT:  # 1e30 overflowed the Decimal rounding: `internal` before issue 13
        raise CalcError(field, f"{field} must be at most {MAX_AMOUNT:,.0f}")
    if value < low or (value == low and not allow_low):
        raise CalcError(field, f"{field} must be {'at least' if allow_low else 'more than'} {low:g}")
    return float(value)


def check_percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) \
            or not 1 <= value <= 100:
        raise CalcError("percent", "percent must be a whole number from 1 to 100")
    return int(value)


def compare(price: float, percent: int, currency: str | None = None, *, postage: float | None = None,
            weight: float | None = None, fault: str = "buyer", table: dict | None = None) -> dict:
    """What a return and a refund-only leave the buyer, and the recommendation.

    fault "buyer" (the default, as in most real returns and the guide's example): the buyer pays the
    postage, so a return nets price − postage. fault "seller": the seller pays it, so a return nets the
    full price. A refund only nets percent% of the price and the buyer keeps the item. A tie goes to the
    refund only: less work, and the item stays with the buyer."""
    price = _number("price", price, low=0, allow_low=False)
    percent = check_percent(percent)
    if fault not in FAULTS:
        raise CalcError("fault", f"fault must be one of {', '.join(FAULTS)}")
    if currency is not None:
        if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency.upper()):
            raise CalcError("currency", "currency must be a three-letter ISO 4217 code, e.g. RUB")
        currency = currency.upper()
    estimate = None
    if postage is not None:
        postage = _number("postage", postage, low=0, allow_low=True)
        source = "typed"
    elif weight is not None:
        weight = _number("weight", weight, low=0, allow_low=False)
        if currency is None:
            raise CalcError("currency", "a postage estimate by weight needs the currency")
        estimate = estimate_postage(weight, currency, table if table is not None else load_postage())
        postage, source = float(estimate["postage"]), "estimated"
    elif fault == "buyer":
        raise CalcError("postage", "give the return postage, or the parcel weight to estimate it")
    else:
        source = "none"  # the seller pays: the amount does not change the result
    paid_by_buyer = fault == "buyer"
    return_net = price - (postage if paid_by_buyer else 0.0)
    refund_net = price * percent / 100
    recommendation = "refund_only" if refund_net >= return_net else "return"
    # The smallest refund-only share that nets at least what a return does: judge counter-offers by it.
    break_even = min(100, max(1, math.ceil(round(return_net / price * 100, 9))))
    result = {
        "currency": currency,
        "price": round_money(price, currency),
        "percent": percent,
        "fault": fault,
        "postage": round_money(postage, currency) if postage is not None else None,
        "postage_source": source,
        "postage_paid_by": "buyer" if paid_by_buyer else "seller",
        "return": {"net": round_money(return_net, currency), "keeps_item": False},
        "refund_only": {"net": round_money(refund_net, currency), "keeps_item": True},
        "recommendation": recommendation,
        "advantage": round_money(abs(refund_net - return_net), currency),
        "break_even_percent": break_even,
    }
    if estimate is not None:
        result["estimate"] = {"weight": weight, "up_to": estimate["up_to"], "source": estimate["source"]}
    return result


def summary(r: dict) -> str:
    """The comparison in plain English, for the command line."""
    def money(x: float) -> str:
        return format_amount(x, r["currency"], symbol=True)

    lines = [f"Price {money(r['price'])}."]
    if r["postage_paid_by"] == "buyer":
        how = f"estimated for up to {r['estimate']['up_to']} g" if r["postage_source"] == "estimated" else "typed in"
        lines.append(f"Return postage {money(r['postage'])} ({how}), paid by you.")
        if r["return"]["net"] < 0:
            lines.append(f"Return and refund: the postage is more than the price, so a return costs you "
                         f"{money(-r['return']['net'])}, and the item goes back.")
        else:
            lines.append(f"Return and refund: {money(r['return']['net'])} net, and the item goes back.")
    else:
        lines.append("The seller is at fault, so the seller pays the return postage.")
        lines.append(f"Return and refund: {money(r['return']['net'])}, and the item goes back.")
    lines.append(f"Refund only at {r['percent']}%: {money(r['refund_only']['net'])}, and you keep the item.")
    better = "refund only" if r["recommendation"] == "refund_only" else "return and refund"
    gain = f"{money(r['advantage'])} more" if r["advantage"] else "the same money, and you keep the item"
    lines.append(f"Recommendation: {better} ({gain}).")
    if r["return"]["net"] <= 0:
        lines.append("Any refund-only offer leaves you more than a return does.")
    else:
        lines.append(f"A refund-only offer below {r['break_even_percent']}% leaves you less than a return.")
    return "\n".join(lines) + "\n"
