"""What is personal on a page: the labels (from every phrase table), classes, field names and patterns
whose text or value the anonymiser replaces, and the secrets it empties."""

from __future__ import annotations

import re
import unicodedata



def _personal_labels() -> tuple[frozenset[str], frozenset[str]]:
    """(labels whose value is personal, tracking labels that head a column of personal cells), from every
    phrase table's `personal_labels`: adding a language adds its labels. A label is a whole text node (NFKC,
    case-folded, trailing colon dropped) or the start of one ("Mobile: 5550100000"). Status-like labels
    ("Estado", "State") are left out on purpose: their value is what the parser reads."""
    from aliwatch import phrases

    value: set[str] = set()
    column: set[str] = set()
    for lang in phrases.available():
        labels = phrases.table(lang).get("personal_labels", {})
        value.update(_label_key(x) for x in labels.get("value", []))
        column.update(_label_key(x) for x in labels.get("column", []))
    return frozenset(value | column), frozenset(column)


# Blocks whose whole text is personal (labels inside them excepted).
_PERSONAL_DATA_PL = re.compile(r"contact_?(?:info|name|person|phone)|address|receiver|consignee|recipient"
                               r"|buyer_?(?:name|info)|phone|mobile|e-?mail", re.IGNORECASE)
_PERSONAL_CLASS = re.compile(r"contact[-_]info|receiver|consignee|recipient|buyer[-_]info|user[-_]address"
                             r"|address[-_](?:info|detail|text|content)", re.IGNORECASE)
_GREETING_CLASS = re.compile(r"welcome|account[-_]?name|nick[-_]?name|user[-_]?nick|greeting", re.IGNORECASE)
# Form fields holding personal data, by name or id.
_PERSONAL_FIELD = re.compile(r"name|phone|mobile|e-?mail|address|zip|post(?:al)?code|receiver|contact|tracking",
                             re.IGNORECASE)
# Attributes that repeat a personal element's text.
_PERSONAL_ATTRS = frozenset({"value", "title", "alt", "aria-label", "data-clipboard-text", "data-copy",
                             "data-value", "data-text"})
# Names of fields, meta tags and URL parameters whose value is a secret or a user id: emptied.
_SECRET_NAME = re.compile(r"token|csrf|xsrf|session|secret|passw|auth|cookie|^(?:sid|sign|uid|userid|user_id"
                          r"|memberid|member_id|mid|loginid|login_id|nick|nickname|buyerid|buyer_id|ali_apache_id"
                          r"|ali_apache_track|ali_beacon_id|cna|email|phone|mobile)$", re.IGNORECASE)
_SECRET_PARAM = re.compile(r"(^|[?&;|])([\w.\-]+)=([^&#;|\s\"']*)")
# Numeric attributes the parser reads as numbers (legacy `lefttime` countdowns in ms), and markup-only ones.
_KEEP_ATTR = re.compile(r"^(?:class|style|width|height|size|colspan|rowspan|tabindex)$|lefttime|datetime"
                        r"|(?:^|[-_])(?:time|date|left|count|countdown|price|amount|spm)(?:$|[-_])"
                        r"|^(?:data-)?(?:product|item)_?ids?$", re.IGNORECASE)
# Product ids are public catalogue numbers (kept, like product titles).
_ITEM_CONTEXT = re.compile(r"(?:/item/|(?:product|item)_?ids?=)$", re.IGNORECASE)
# Mail of AliExpress itself is wording, not the user's.
_KEEP_MAIL = re.compile(r"@(?:[\w-]+\.)*(?:aliexpress|alibaba|alibaba-inc|alicdn)\.com$", re.IGNORECASE)

# Starts only where a run starts: a long run without "@" (a base64 image) is scanned once, not once per char.
_EMAIL = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_PHONE = r"\+(?:[0-9][ \u00a0.()\-]{0,2}){6,14}[0-9]"  # international numbers: 7-15 digits after the +
_MASKED = r"(?<![\w*])[^\W_]{0,4}\*{2,}[^\W_]{0,4}(?![\w*])"  # "A***", "b***r", "****1234"
_TRACKING = r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{9,}[A-Z]{0,2}(?![A-Za-z0-9])"  # LP00137720945518, UB123456789CN
# Order, dispute and store ids, bare phones. Not after a hex digit: "…fc73388149161065fb9q.jpg" is an image hash.
_LONG_DIGITS = r"(?<![0-9A-Fa-f])[0-9]{9,}(?![0-9])"
# aliexpress.ru prints order ids in groups: "5386 2471 0935 1128" gets the same fake as 5386247109351128.
_GROUPED_ID = r"(?<![0-9])[0-9]{2,4}(?:[ \u00a0][0-9]{4}){3}(?![0-9])"
_GENERIC = (f"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<tracking>{_TRACKING})|(?P<masked>{_MASKED})"
            f"|(?P<grouped>{_GROUPED_ID})|(?P<digits>{_LONG_DIGITS})")
_GENERIC_RE = re.compile(_GENERIC)
# What a fake replaces in personal text: digit runs and letter runs; a tracking number keeps its letters.
_RUNS = re.compile(f"(?P<tracking>{_TRACKING})|[0-9]+|[^\\W_0-9]+")
_DIGIT_RUN = re.compile(r"[0-9]+")
_COMMA = re.compile(r"[,，、]")
_NEEDS_QUOTE = re.compile(r"[\s\"'=<>`]|^$")
_SAVED_FROM = re.compile(r"^<!--(\s*saved from url=)\((\d+)\)(\S+?)(\s*-->)$", re.IGNORECASE | re.DOTALL)

def _label_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip(":：").strip()


_LABELS, _COLUMN_LABELS = _personal_labels()
